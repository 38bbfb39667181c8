import { describe, expect, it } from 'vitest';
import { parseHtml, parseRefresh, urlsInScript } from '../../src/crawl/index.js';
import type { Link } from '../../src/types.js';

const BASE = 'http://x.go.th/index.php';
const find = (links: Link[], url: string): Link[] => links.filter((l) => l.url === `http://x.go.th${url}`);
const one = (links: Link[], url: string): Link => {
  const found = find(links, url);
  expect(found, url).toHaveLength(1);
  return found[0]!;
};

describe('parseHtml: links', () => {
  it('finds PASWorld popups, window.open, location.href and onclick; ignores javascript:void(0)', () => {
    const page = parseHtml(
      `<html><body>
        <a href="javascript:MM_openBrWindow('news_detail.php?news_id=912','','scrollbars=yes,width=600,height=400')">ประกาศราคากลาง</a>
        <a href="javascript:void(0)" onclick="window.open(&quot;/fileupload/news/a.pdf&quot;)">เอกสาร</a>
        <a href="#" onclick="location.href='index.php?_mod=bmV3cw'">ข่าว</a>
        <a href="javascript:;">ไม่มีอะไร</a>
        <a href="javascript:void(0)" onclick="javascript:void(0)">เมนู</a>
        <button onclick="location='/public/list/data/index/menu/1685'">ITA</button>
        <table><tr onclick="window.location.href = '/detail.php?id=7'"><td>แถว</td></tr></table>
        <a href="#top">ขึ้นบน</a><a href="">ว่าง</a>
        <a href="mailto:saraban@x.go.th">อีเมล</a><a href="tel:075">โทร</a>
      </body></html>`,
      BASE,
    );
    expect(one(page.links, '/news_detail.php?news_id=912')).toMatchObject({
      source: 'javascript',
      text: 'ประกาศราคากลาง',
    });
    expect(one(page.links, '/fileupload/news/a.pdf')).toMatchObject({ source: 'onclick', text: 'เอกสาร' });
    expect(one(page.links, '/index.php?_mod=bmV3cw')).toMatchObject({ source: 'onclick', text: 'ข่าว' });
    expect(one(page.links, '/public/list/data/index/menu/1685')).toMatchObject({
      source: 'onclick',
      text: 'ITA',
    });
    expect(page.links.filter((l) => !l.placeholder).map((l) => l.url)).toEqual([
      'http://x.go.th/news_detail.php?news_id=912',
      'http://x.go.th/fileupload/news/a.pdf',
      'http://x.go.th/index.php?_mod=bmV3cw',
      'http://x.go.th/public/list/data/index/menu/1685',
      'http://x.go.th/detail.php?id=7',
    ]);
    // Links to nowhere are kept only as placeholders (an index row without a URL), never followed.
    expect(page.links.filter((l) => l.placeholder).map((l) => l.text)).toEqual([
      'ไม่มีอะไร',
      'เมนู',
      'ขึ้นบน',
      'ว่าง',
    ]);
  });

  it('reads URLs out of script strings but not window features or names', () => {
    expect(
      urlsInScript("MM_openBrWindow('news_detail.php?news_id=912','win','scrollbars=yes,width=600')"),
    ).toEqual(['news_detail.php?news_id=912']);
    expect(urlsInScript('window.open("https://www.facebook.com/thasala", "_blank")')).toEqual([
      'https://www.facebook.com/thasala',
    ]);
    expect(urlsInScript("showTab('tab-menu-1141'); return false;")).toEqual([]);
    expect(urlsInScript("ga('send', 'event', 'download')")).toEqual([]);
    expect(urlsInScript("window.open('files/ประกาศ ราคากลาง.pdf')")).toEqual(['files/ประกาศ ราคากลาง.pdf']);
  });

  it('finds area, iframe (PDF viewer), embed, object, meta refresh and canonical links', () => {
    const page = parseHtml(
      `<html><head>
        <meta http-equiv="Refresh" content="3; URL='/index.php?lang=th'">
        <link rel="canonical" href="/home">
        <link rel="stylesheet" href="/style.css">
      </head><body>
        <map name="m"><area shape="rect" href="/ita.php" alt="ITA 2564"></map>
        <iframe src="/fileupload/news/plan.pdf" title="แผนพัฒนา"></iframe>
        <iframe data-src="/lazy.pdf" src="about:blank"></iframe>
        <embed src="/files/b.pdf" type="application/pdf">
        <object data="/files/c.pdf"></object>
        <noscript><meta http-equiv="refresh" content="0;url=/nojs.html"></noscript>
      </body></html>`,
      BASE,
    );
    expect(one(page.links, '/ita.php')).toMatchObject({ source: 'area', text: 'ITA 2564' });
    expect(one(page.links, '/fileupload/news/plan.pdf')).toMatchObject({ source: 'iframe', text: 'แผนพัฒนา' });
    expect(one(page.links, '/lazy.pdf').source).toBe('iframe');
    expect(one(page.links, '/files/b.pdf').source).toBe('embed');
    expect(one(page.links, '/files/c.pdf').source).toBe('embed');
    expect(one(page.links, '/index.php?lang=th').source).toBe('meta-refresh');
    expect(one(page.links, '/home').source).toBe('canonical');
    expect(find(page.links, '/style.css')).toHaveLength(0);
    expect(page.metaRefresh).toBe('http://x.go.th/index.php?lang=th');
    expect(page.metaRefreshDelay).toBe(3);
    expect(page.canonical).toBe('http://x.go.th/home');
    expect(parseRefresh('0;url=/a')).toEqual({ delay: 0, url: '/a' });
    expect(parseRefresh('600')).toEqual({ delay: 600, url: null });
  });

  it('uses the alt, then the title, then the file name for image-only links', () => {
    const page = parseHtml(
      `<body>
        <a href="/public/list/data/index/menu/1685"><img src="/banner_upload/backend/banner_295_1.gif" alt="ITA"></a>
        <a href="/eit"><img src="/x.png" title="แบบวัดการรับรู้ภายนอก EIT"></a>
        <a href="/banner2"><img src="/uploads/%E0%B8%A3%E0%B9%89%E0%B8%AD%E0%B8%87%E0%B9%80%E0%B8%A3%E0%B8%B5%E0%B8%A2%E0%B8%99.png"></a>
        <a href="/titled" title="ร้องเรียนทุจริต"><img src="/y.png"></a>
      </body>`,
      BASE,
    );
    expect(one(page.links, '/public/list/data/index/menu/1685').text).toBe('ITA');
    expect(one(page.links, '/eit').text).toBe('แบบวัดการรับรู้ภายนอก EIT');
    expect(one(page.links, '/banner2').text).toBe('ร้องเรียน');
    expect(one(page.links, '/titled').text).toBe('ร้องเรียนทุจริต');
  });

  it('finds a menu commented out (the mobile copy), de-duplicates identical links, marks menus', () => {
    const menu = `<ul class="mega-menu"><li><a href="/public/list/data/index/menu/1144">โครงสร้างส่วนราชการ</a></li>
      <li><a href="/public/webboard/data/index/menu/1228">กระดานกระทู้ (ถาม-ตอบ)</a></li></ul>`;
    const page = parseHtml(
      `<body><header><nav id="desktop">${menu}</nav></header>
       <!-- mobile menu <div id="mobile-menu">${menu}<a href="/only-in-comment.php">ข้อมูลเก่า</a></div> -->
       <main><h1>หน้าแรก</h1><p>เนื้อหา <a href="/news.php">ข่าว</a></p></main>
       <footer><a href="/privacy">นโยบายคุ้มครองข้อมูลส่วนบุคคล</a></footer></body>`,
      BASE,
    );
    expect(find(page.links, '/public/list/data/index/menu/1144')).toHaveLength(1);
    expect(one(page.links, '/public/list/data/index/menu/1144').inMenu).toBe(true);
    expect(one(page.links, '/only-in-comment.php')).toMatchObject({
      text: 'ข้อมูลเก่า',
      inMenu: true,
      source: 'a',
    });
    expect(one(page.links, '/news.php').inMenu).toBe(false);
    expect(one(page.links, '/privacy').inMenu).toBe(true);
    // Commented text is not visible text.
    expect(page.fullText).not.toContain('ข้อมูลเก่า');
    expect(page.mainText).toBe('หน้าแรก เนื้อหา ข่าว');
    expect(page.fullText).toContain('โครงสร้างส่วนราชการ');
  });

  it('gives table-row context and the sub-indicator heading (ITA index table)', () => {
    const page = parseHtml(
      `<body><div class="card"><div class="card-header"><button>ตัวชี้วัดย่อยที่ 9.1 ข้อมูลพื้นฐาน</button></div>
       <table><thead><tr><th>ข้อ</th><th>ข้อมูล</th><th>URL</th></tr></thead><tbody>
       <tr><td><strong>O1</strong></td><td>โครงสร้าง</td><td><a href="/about_structure.html">แผนผังโครงสร้าง</a></td></tr>
       <tr><td>O2</td><td>ข้อมูลผู้บริหาร</td><td><ul><li><a href="/exec.pdf">1. คณะผู้บริหาร</a></li></ul></td></tr>
       <tr><th colspan="3">ตัวชี้วัดย่อยที่ 9.2 การบริหารงาน</th></tr>
       <tr><td>O10</td><td>แผนดำเนินงาน</td><td><a href="/plan.pdf"><img src="/pdf.png" alt="PDF"></a></td></tr>
       </tbody></table></div>
       <h3>ตัวชี้วัดย่อยที่ 10.1</h3><p><strong>การดำเนินการเพื่อป้องกันการทุจริต</strong></p>
       <p>ดูรายละเอียด <a href="/o33.php">O33 การเปิดโอกาสให้เกิดการมีส่วนร่วม</a></p>
       <p>${'ยาว'.repeat(200)} <a href="/long.php">ลิงก์ในย่อหน้ายาว</a></p></body>`,
      BASE,
    );
    expect(one(page.links, '/about_structure.html')).toMatchObject({
      context: 'O1 | โครงสร้าง | แผนผังโครงสร้าง',
      heading: 'ตัวชี้วัดย่อยที่ 9.1 ข้อมูลพื้นฐาน',
      inMenu: false,
    });
    // A list inside a table cell: the table row names the item.
    expect(one(page.links, '/exec.pdf')).toMatchObject({
      context: 'O2 | ข้อมูลผู้บริหาร | 1. คณะผู้บริหาร',
      heading: 'ตัวชี้วัดย่อยที่ 9.1 ข้อมูลพื้นฐาน',
    });
    expect(one(page.links, '/plan.pdf')).toMatchObject({
      text: 'PDF',
      context: 'O10 | แผนดำเนินงาน',
      heading: 'ตัวชี้วัดย่อยที่ 9.2 การบริหารงาน',
    });
    expect(one(page.links, '/o33.php')).toMatchObject({
      context: 'ดูรายละเอียด O33 การเปิดโอกาสให้เกิดการมีส่วนร่วม',
      heading: 'การดำเนินการเพื่อป้องกันการทุจริต',
    });
    expect(one(page.links, '/long.php').context).toBeUndefined();
    expect(page.headings).toEqual(['ตัวชี้วัดย่อยที่ 10.1']);
  });

  it('takes a short label before a block of links as their heading (template-built ITA pages)', () => {
    const page = parseHtml(
      `<body><div class="ita-detail-content">
       <span class="font-ita-content">O29 แนวปฏิบัติการจัดการเรื่องร้องเรียน</span><div class="row"><div class="col-10">
       <a href="/Pages/mcc/3">1.คู่มือการจัดการเรื่องร้องเรียน</a></div></div>
       <span class="font-ita-content">O30 ช่องทางแจ้งเรื่องร้องเรียน</span><div class="row"><a href="/Pages/complain">1.ร้องเรียนออนไลน์</a></div>
       </div>
       <p>O1 โครงสร้าง</p><ul><li><a href="/structure.pdf">แผนผัง</a></li></ul>
       <p>ดูข้อมูลเพิ่มเติม</p><p>ข้อความธรรมดา <a href="/inline.php">ในย่อหน้า</a></p>
       <span>ป้ายที่ไม่มีลิงก์ตามหลัง</span><div>ข้อความ</div><a href="/after.php">ลิงก์</a></body>`,
      BASE,
    );
    expect(one(page.links, '/Pages/mcc/3').heading).toBe('O29 แนวปฏิบัติการจัดการเรื่องร้องเรียน');
    expect(one(page.links, '/Pages/complain').heading).toBe('O30 ช่องทางแจ้งเรื่องร้องเรียน');
    expect(one(page.links, '/structure.pdf').heading).toBe('O1 โครงสร้าง');
    // A label before a paragraph with a link is one too; a label before a block without links is not.
    expect(one(page.links, '/inline.php').heading).toBe('ดูข้อมูลเพิ่มเติม');
    expect(one(page.links, '/after.php').heading).toBe('ดูข้อมูลเพิ่มเติม');
  });

  it('keeps one link given in two rows once per row, and rows of a link table that give no link', () => {
    const page = parseHtml(
      `<body><table><tr><th>ข้อ</th><th>ข้อมูล</th><th>URL</th></tr>
       <tr><td>O8</td><td>Q &amp; A</td><td><a href="/webboard.php">คลิกที่นี่</a></td></tr>
       <tr><td>O9</td><td>Social Network</td><td>-</td></tr>
       <tr><td>O32</td><td>ช่องทางการรับฟังความคิดเห็น</td><td><a href="/webboard.php">คลิกที่นี่</a></td></tr>
       </table>
       <p><a href="/webboard.php">คลิกที่นี่</a></p>
       <table><tr><td>วันที่</td><td>1 ม.ค. 64</td></tr><tr><td>เรื่อง</td><td>ประชุม</td></tr></table></body>`,
      BASE,
    );
    const board = page.links.filter((l) => l.url.endsWith('/webboard.php'));
    expect(board.map((l) => l.context)).toEqual([
      'O8 | Q & A | คลิกที่นี่',
      'O32 | ช่องทางการรับฟังความคิดเห็น | คลิกที่นี่',
    ]);
    // The row without a link is kept as a placeholder (the item has no URL); a plain data table is not.
    const empty = page.links.filter((l) => l.placeholder);
    expect(empty.map((l) => l.context)).toEqual(['O9 | Social Network | -']);
  });

  it('keeps Thai inline runs together and separates blocks; keeps article headers in the main text', () => {
    const page = parseHtml(
      `<html><head><title> ข่าว  &nbsp;ประชาสัมพันธ์ </title><style>.x{}</style></head><body>
       <div class="site-header-nav">เมนู</div>
       <article><header class="entry-header"><h1>ประกาศ<b>ราคา</b>กลาง</h1><time>8 กุมภาพันธ์ 2564</time></header>
       <div>ย่อหน้า<br>บรรทัดใหม่</div><script>var x = "<a href='/no.php'>";</script></article></body></html>`,
      BASE,
    );
    expect(page.title).toBe('ข่าว ประชาสัมพันธ์');
    expect(page.headings).toEqual(['ประกาศราคากลาง']);
    expect(page.mainText).toBe('ประกาศราคากลาง 8 กุมภาพันธ์ 2564 ย่อหน้า บรรทัดใหม่');
    expect(page.fullText).toBe('เมนู ประกาศราคากลาง 8 กุมภาพันธ์ 2564 ย่อหน้า บรรทัดใหม่');
    expect(page.links).toEqual([]);
  });

  it('honours <base href> and survives malformed HTML', () => {
    const page = parseHtml(
      `<html><head><base href="http://x.go.th/site/"></head><body><table><tr><td><a href="a.php">ก<td><a href=b.php>ข</table>
       <div><div><p><a href="c.php">ค</p></div>${'<div>'.repeat(5000)}deep${'</span>'.repeat(10)}`,
      BASE,
    );
    expect([...new Set(page.links.map((l) => l.url))]).toEqual([
      'http://x.go.th/site/a.php',
      'http://x.go.th/site/b.php',
      'http://x.go.th/site/c.php',
    ]);
    expect(page.fullText).toContain('deep');
    expect(parseHtml('', BASE)).toMatchObject({ links: [], fullText: '', mainText: '' });
    expect(parseHtml('<<<>>>< a href=x', BASE).links).toEqual([]);
  });

  it('reads forms: action, method, field labels, search boxes, table-layout forms', () => {
    const page = parseHtml(
      `<body>
        <form role="search" action="/"><input type="search" name="s" placeholder="ค้นหา …"><button>ค้นหา</button></form>
        <form method="POST" action="complaint_save.php">
          <label for="n">ชื่อ-นามสกุล</label><input id="n" name="name">
          <label>เบอร์โทรศัพท์ <input type="tel" name="tel"></label>
          <input type="email" name="email" placeholder="อีเมล">
          <select name="topic"><option>ร้องเรียนทั่วไป</option></select>
          <textarea name="detail" aria-label="รายละเอียดเรื่องร้องเรียน"></textarea>
          <input type="file" name="attach"><input type="hidden" name="token" value="x"><input type="submit" value="ส่ง">
        </form>
        <table><form action="/webboard/post.php" method="post"><tr><td><input name="topic_title"></td></tr>
        <tr><td><textarea name="message"></textarea></td></tr></form></table>
      </body>`,
      BASE,
    );
    expect(page.forms).toEqual([
      { action: 'http://x.go.th/', method: 'get', fields: ['ค้นหา …'], search: true },
      {
        action: 'http://x.go.th/complaint_save.php',
        method: 'post',
        fields: ['ชื่อ-นามสกุล', 'เบอร์โทรศัพท์', 'อีเมล', 'topic', 'รายละเอียดเรื่องร้องเรียน', 'attach'],
        search: false,
      },
      {
        action: 'http://x.go.th/webboard/post.php',
        method: 'post',
        fields: ['topic_title', 'message'],
        search: false,
      },
    ]);
  });

  it('falls back to the whole text when everything is a menu', () => {
    const page = parseHtml('<body><div class="menu-wrap"><p>ข้อมูลทั้งหมดในเมนู</p></div></body>', BASE);
    expect(page.mainText).toBe('ข้อมูลทั้งหมดในเมนู');
  });
});
