// The item has at least one evidence URL.
import type { Check } from '../../rules/schema.js';
import { type CheckFn, fail, finding, pass } from '../context.js';

export const urlPresent: CheckFn<Extract<Check, { type: 'url-present' }>> = (ctx, check) =>
  ctx.units.length > 0
    ? pass(ctx.units.slice(0, 3).map((u) => ({ url: u.url })))
    : fail(check, [
        finding(
          check,
          'no-url',
          { item: ctx.item.id },
          {
            fix: {
              th: `เผยแพร่ข้อมูล ${ctx.item.name.th} บนเว็บไซต์หลัก และใส่ลิงก์ในหน้า ITA ของหน่วยงาน`,
              en: `Publish "${ctx.item.name.en}" on the main website and link it from the agency's ITA page`,
            },
          },
        ),
      ]);
