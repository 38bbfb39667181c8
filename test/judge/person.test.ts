import { describe, expect, it } from 'vitest';
import { PERSON_NAME, PERSON_TITLE } from '../../src/judge/checks/person.js';

describe('person names', () => {
  it('reads titled names, not the posts that start like them', () => {
    const names = (s: string) => [...s.matchAll(PERSON_NAME)].map((m) => m[0]);
    expect(names('ผู้ส่ง : นายสุริยา บุญยืน | นางสาววาสนา ทองคำ')).toEqual(['นายสุริยา บุญยืน', 'นางสาววาสนา ทองคำ']);
    expect(names('ตอบกลับจากนายกเทศมนตรี ตำบลดอนตะแบก')).toEqual([]);
    expect(names('นายกิตติพงษ์ เพชรรัตน์')).toEqual(['นายกิตติพงษ์ เพชรรัตน์']);
    expect(PERSON_TITLE.test('นายกเทศมนตรีมีอำนาจหน้าที่')).toBe(false);
    expect(PERSON_TITLE.test('ว่าที่ร.ต.สมชาย')).toBe(true);
  });
});
