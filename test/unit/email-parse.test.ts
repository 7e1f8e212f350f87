import { describe, expect, it } from 'vitest';
import { sanitizeFileName } from '../../channels/email/email-files.js';
import { parseEmail } from '../../channels/email/email-parse.js';
import { MAX_MESSAGE_TEXT } from '../../src/domain/inbound-message.js';
import { base64Lines, basicHeaders, encode, encodedWord, message, multipartBody, quotedPrintable } from '../support/email-mime-fixtures.js';

describe('parseEmail: headers', () => {
  it('reads sender, recipients, subject, date and threading headers', async () => {
    const parsed = await parseEmail(
      message(
        basicHeaders([
          ['Cc', 'Boss <Boss@Customer.test>, team: a@customer.test, b@customer.test;'],
          ['Reply-To', 'Purchasing <Purchasing@Customer.test>'],
          ['In-Reply-To', '<reply-2@switchboard.test>'],
          ['References', '<first@switchboard.test>\r\n <reply-1@switchboard.test>'],
          ['Content-Type', 'text/plain; charset=utf-8'],
        ]),
        'Hello, how much is delivery to Busan?',
      ),
    );
    expect(parsed).toMatchObject({
      messageId: 'CAF=abc123@mail.customer.test',
      from: { address: 'anna.kim@customer.test', name: 'Anna Kim' },
      replyTo: { address: 'purchasing@customer.test', name: 'Purchasing' },
      to: ['sales@switchboard.test'],
      cc: ['boss@customer.test', 'a@customer.test', 'b@customer.test'],
      subject: 'Question about pricing',
      inReplyTo: 'reply-2@switchboard.test',
      references: ['first@switchboard.test', 'reply-1@switchboard.test', 'reply-2@switchboard.test'],
      text: 'Hello, how much is delivery to Busan?',
      files: [],
      problems: [],
    });
    expect(parsed.date).toEqual(new Date('2026-11-28T06:00:00Z'));
    expect(parsed.automated).toBeUndefined();
    expect(parsed.html).toBeUndefined();
  });

  it('makes a stable id from the content when the mail has no Message-ID', async () => {
    const source = message([['From', 'anna@customer.test'], ['Subject', 'No id']], 'Hello');
    const first = await parseEmail(source);
    const again = await parseEmail(Buffer.from(source));
    const other = await parseEmail(message([['From', 'anna@customer.test'], ['Subject', 'No id']], 'Hello!'));
    expect(first.messageId).toMatch(/^sha256-[0-9a-f]{64}@switchboard\.invalid$/u);
    expect(again.messageId).toBe(first.messageId);
    expect(other.messageId).not.toBe(first.messageId);
    expect(first.problems).toContain('the message has no Message-ID; an id was made from its content');
  });

  it('leaves an unreadable date unset instead of taking "now"', async () => {
    const parsed = await parseEmail(message([['From', 'anna@customer.test'], ['Date', 'the day after tomorrow'], ['Message-ID', '<d@x.test>']], 'Hi'));
    expect(parsed.date).toBeUndefined();
    expect(parsed.problems).toEqual(['the Date header "the day after tomorrow" could not be read']);
  });
});

describe('parseEmail: encodings', () => {
  it('decodes an EUC-KR body with an EUC-KR encoded-word subject and sender name', async () => {
    const parsed = await parseEmail(
      message(
        [
          ['From', `${encodedWord('김민지', 'EUC-KR')} <minji@customer.kr>`],
          ['Subject', encodedWord('견적 문의드립니다', 'EUC-KR')],
          ['Message-ID', '<k1@customer.kr>'],
          ['Content-Type', 'text/plain; charset=euc-kr'],
          ['Content-Transfer-Encoding', '8bit'],
        ],
        encode('안녕하세요. 25석 견적 부탁드립니다.', 'euc-kr'),
      ),
    );
    expect(parsed.from).toEqual({ address: 'minji@customer.kr', name: '김민지' });
    expect(parsed.subject).toBe('견적 문의드립니다');
    expect(parsed.text).toBe('안녕하세요. 25석 견적 부탁드립니다.');
    expect(parsed.problems).toEqual([]);
  });

  it.each(['cp949', 'ks_c_5601-1987'])('decodes CP949-only syllables (똠, 뷁) labelled %s, Q-encoded subject', async (label) => {
    const parsed = await parseEmail(
      message(
        [
          ['From', `${encodedWord('똠방각하', 'cp949', 'Q')} <ddom@customer.kr>`],
          ['Subject', encodedWord('뷁 주문 확인', 'cp949', 'Q')],
          ['Message-ID', '<k2@customer.kr>'],
          ['Content-Type', `text/plain; charset=${label}`],
          ['Content-Transfer-Encoding', 'base64'],
        ],
        base64Lines(encode('똠방각하님, 뷁 주문이 확인되었습니다.', 'cp949')),
      ),
    );
    expect(parsed.from?.name).toBe('똠방각하');
    expect(parsed.subject).toBe('뷁 주문 확인');
    expect(parsed.text).toBe('똠방각하님, 뷁 주문이 확인되었습니다.');
    expect(parsed.problems).toEqual([]);
  });

  it('decodes ISO-2022-JP', async () => {
    const parsed = await parseEmail(
      message(
        [
          ['From', `${encodedWord('山田太郎', 'ISO-2022-JP')} <taro@example.jp>`],
          ['Subject', encodedWord('お見積もりのお願い', 'ISO-2022-JP')],
          ['Message-ID', '<j1@example.jp>'],
          ['Content-Type', 'text/plain; charset=ISO-2022-JP'],
          ['Content-Transfer-Encoding', '7bit'],
        ],
        encode('お世話になっております。見積もりをお願いします。', 'ISO-2022-JP'),
      ),
    );
    expect(parsed.from?.name).toBe('山田太郎');
    expect(parsed.subject).toBe('お見積もりのお願い');
    expect(parsed.text).toBe('お世話になっております。見積もりをお願いします。');
  });

  it('decodes quoted-printable and base64 UTF-8 bodies', async () => {
    const text = 'Здравствуйте! Нужен счёт на 25 мест — срочно. 안녕하세요 ' + 'long line '.repeat(12);
    const qp = await parseEmail(message(basicHeaders([['Content-Type', 'text/plain; charset=utf-8'], ['Content-Transfer-Encoding', 'quoted-printable']]), quotedPrintable(text)));
    const b64 = await parseEmail(message(basicHeaders([['Content-Type', 'text/plain; charset=utf-8'], ['Content-Transfer-Encoding', 'base64']]), base64Lines(Buffer.from(text))));
    expect(qp.text).toBe(text.trim());
    expect(b64.text).toBe(text.trim());
  });

  it('reports an unknown charset and still shows the text', async () => {
    const parsed = await parseEmail(message(basicHeaders([['Content-Type', 'text/plain; charset=x-no-such-charset']]), 'Plain ASCII survives.'));
    expect(parsed.text).toBe('Plain ASCII survives.');
    expect(parsed.problems).toEqual(['unknown charset "x-no-such-charset"; the text was read as UTF-8']);
  });
});

describe('parseEmail: bodies and files', () => {
  it('takes the text part of multipart/alternative and keeps the HTML as sent', async () => {
    const html = '<html><body><p>Hello <b>Anna</b>,</p><p>price: 100&nbsp;€</p></body></html>';
    const parsed = await parseEmail(
      message(
        basicHeaders([['Content-Type', 'multipart/alternative; boundary="alt"']]),
        multipartBody('alt', [
          { headers: [['Content-Type', 'text/plain; charset=utf-8']], body: 'Hello Anna,\r\nprice: 100 €' },
          { headers: [['Content-Type', 'text/html; charset=utf-8'], ['Content-Transfer-Encoding', 'quoted-printable']], body: quotedPrintable(html) },
        ]),
      ),
    );
    expect(parsed.text).toBe('Hello Anna,\nprice: 100 €');
    expect(parsed.html).toBe(html);
    expect(parsed.files).toEqual([]);
  });

  it('reduces an HTML-only mail to safe text: no script or style, inline image named', async () => {
    const html = '<html><head><style>.x{color:red}</style></head><body><p>Our logo:</p><img src="cid:logo@switchboard"><script>document.cookie</script><p>Visit <a href="https://shop.test">the shop</a></p></body></html>';
    const parsed = await parseEmail(message(basicHeaders([['Content-Type', 'text/html; charset=utf-8']]), html));
    expect(parsed.text).toBe('Our logo:\n\n[image: logo]\n\nVisit the shop (https://shop.test)');
    expect(parsed.text).not.toContain('document.cookie');
    expect(parsed.html).toBe(html);
  });

  it('trims the quoted history of an HTML-only reply (Gmail blockquote)', async () => {
    const html = '<div dir="ltr">Tuesday works.</div><br><div class="gmail_quote"><div class="gmail_attr">On Sat, Nov 28, 2026 at 3:00 PM Sales &lt;sales@switchboard.test&gt; wrote:<br></div><blockquote class="gmail_quote">Would Tuesday suit you?</blockquote></div>';
    const parsed = await parseEmail(message(basicHeaders([['Content-Type', 'text/html; charset=utf-8']]), html));
    expect(parsed.text).toBe('Tuesday works.');
    expect(parsed.fullText).toContain('> Would Tuesday suit you?');
  });

  it('returns the inline image and the attachment as files, in order, and not the bodies', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    const pdf = Buffer.from('%PDF-1.4\n% quote\n');
    const parsed = await parseEmail(
      message(
        basicHeaders([['Content-Type', 'multipart/mixed; boundary="mix"']]),
        multipartBody('mix', [
          {
            headers: [['Content-Type', 'multipart/related; boundary="rel"']],
            body: multipartBody('rel', [
              { headers: [['Content-Type', 'text/html; charset=utf-8']], body: '<p>Chart: <img src="cid:chart@x"></p>' },
              { headers: [['Content-Type', 'image/png; name="chart.png"'], ['Content-ID', '<chart@x>'], ['Content-Disposition', 'inline; filename="chart.png"'], ['Content-Transfer-Encoding', 'base64']], body: base64Lines(png) },
            ]),
          },
          { headers: [['Content-Type', 'application/pdf; name="=?UTF-8?B?6rKs7KCB7IScLnBkZg==?="'], ['Content-Disposition', 'attachment; filename*=UTF-8\'\'%EA%B2%AC%EC%A0%81%EC%84%9C.pdf'], ['Content-Transfer-Encoding', 'base64']], body: base64Lines(pdf) },
        ]),
      ),
    );
    expect(parsed.files).toEqual([
      { name: 'chart.png', contentType: 'image/png', content: png, size: png.length, inline: true, contentId: 'chart@x' },
      { name: '견적서.pdf', contentType: 'application/pdf', content: pdf, size: pdf.length, inline: false },
    ]);
    expect(parsed.text).toBe('Chart: [image: chart.png]');
    expect(parsed.html).toBe('<p>Chart: <img src="cid:chart@x"></p>');
  });

  it('parses a 10 MB base64 attachment with the right size', async () => {
    const big = Buffer.alloc(10 * 1024 * 1024);
    for (let i = 0; i < big.length; i += 4096) big[i] = i % 251;
    const parsed = await parseEmail(
      message(
        basicHeaders([['Content-Type', 'multipart/mixed; boundary="big"']]),
        multipartBody('big', [
          { headers: [['Content-Type', 'text/plain; charset=utf-8']], body: 'The scans are attached.' },
          { headers: [['Content-Type', 'application/zip; name="scans.zip"'], ['Content-Disposition', 'attachment; filename="scans.zip"'], ['Content-Transfer-Encoding', 'base64']], body: base64Lines(big) },
        ]),
      ),
    );
    expect(parsed.text).toBe('The scans are attached.');
    expect(parsed.files).toHaveLength(1);
    expect(parsed.files[0]?.size).toBe(10 * 1024 * 1024);
    expect(parsed.files[0]?.content.equals(big)).toBe(true);
    expect(parsed.problems).toEqual([]);
  });

  it('cuts the text at the message limit with a note, and keeps quotes out of the view', async () => {
    const long = 'a'.repeat(30_000);
    const parsed = await parseEmail(message(basicHeaders([['Content-Type', 'text/plain; charset=utf-8']]), long));
    expect(parsed.text.length).toBeLessThanOrEqual(MAX_MESSAGE_TEXT);
    expect(parsed.text).toMatch(/\[… 10,000\+ more characters of this email are not shown\]$/u);
    const reply = await parseEmail(message(basicHeaders([['Content-Type', 'text/plain; charset=utf-8']]), 'Deal!\r\n\r\nOn Sat, Nov 28, 2026 at 3:00 PM Sales <sales@switchboard.test> wrote:\r\n> 100 EUR?\r\n'));
    expect(reply.text).toBe('Deal!');
    expect(reply.fullText).toBe('Deal!\n\nOn Sat, Nov 28, 2026 at 3:00 PM Sales <sales@switchboard.test> wrote:\n> 100 EUR?');
  });
});

describe('parseEmail: malformed MIME never throws', () => {
  it('reads a multipart mail whose closing boundary is missing', async () => {
    const parsed = await parseEmail(
      message(
        basicHeaders([['Content-Type', 'multipart/mixed; boundary="cut"']]),
        multipartBody('cut', [{ headers: [['Content-Type', 'text/plain']], body: 'Here is the file' }, { headers: [['Content-Type', 'application/pdf; name=a.pdf'], ['Content-Transfer-Encoding', 'base64']], body: 'JVBERi0xLjQK' }], false),
      ),
    );
    expect(parsed.text).toBe('Here is the file');
    expect(parsed.files.map((f) => f.name)).toEqual(['a.pdf']);
    expect(parsed.problems).toEqual(['a multipart section is not closed (boundary "cut"); the message may be cut short']);
  });

  it('reports truncated base64 and keeps what could be decoded', async () => {
    const parsed = await parseEmail(
      message(basicHeaders([['Content-Type', 'multipart/mixed; boundary="b"']]), multipartBody('b', [{ headers: [['Content-Type', 'text/plain']], body: 'photo' }, { headers: [['Content-Type', 'image/png; name=p.png'], ['Content-Transfer-Encoding', 'base64']], body: 'iVBORw0KGgoAAAANSUhEU' }])),
    );
    expect(parsed.files[0]?.name).toBe('p.png');
    expect(parsed.problems).toEqual(['MIME part 2 ends in the middle of its base64 data; it was cut short']);
  });

  it('survives garbage header lines', async () => {
    const source = Buffer.from('Received: from mx.customer.test\r\n\x00\x01garbage without colon\r\n: empty name\r\nFrom: anna@customer.test\r\n\u00ff\u00fe:::\r\nSubject: still here\r\n\r\nbody text', 'latin1');
    const parsed = await parseEmail(source);
    expect(parsed.from?.address).toBe('anna@customer.test');
    expect(parsed.subject).toBe('still here');
    expect(parsed.text).toBe('body text');
  });

  it('keeps a message with no headers at all as its text', async () => {
    const parsed = await parseEmail(Buffer.from('Hello, this was pasted without any headers.\nSecond line.'));
    expect(parsed.text).toBe('Hello, this was pasted without any headers.\nSecond line.');
    expect(parsed.from).toBeUndefined();
    expect(parsed.messageId).toMatch(/^sha256-/u);
    expect(parsed.problems[0]).toBe('the message has no header section; it was read as plain text');
  });

  it('keeps sender, id and body of a message mailparser gives up on (more than 1,000 parts)', async () => {
    const parts = Array.from({ length: 1100 }, (_, i) => ({ headers: [['Content-Type', 'text/plain']] as const, body: `part ${i}` }));
    const parsed = await parseEmail(message(basicHeaders([['Content-Type', 'multipart/mixed; boundary="many"']]), multipartBody('many', parts)));
    expect(parsed.messageId).toBe('CAF=abc123@mail.customer.test');
    expect(parsed.from).toEqual({ address: 'anna.kim@customer.test' });
    expect(parsed.subject).toBe('Question about pricing');
    expect(parsed.text).toContain('part 0');
    expect(parsed.text.length).toBeLessThanOrEqual(MAX_MESSAGE_TEXT);
    expect(parsed.problems).toEqual(['the MIME structure could not be read (Max allowed child nodes exceeded); the body was kept as plain text']);
  });

  it('answers an empty message for an empty buffer', async () => {
    const parsed = await parseEmail(Buffer.alloc(0));
    expect(parsed).toMatchObject({ from: undefined, subject: '', text: '', fullText: '', files: [], references: [] });
    expect(parsed.problems[0]).toBe('the message is empty');
  });

  it('reports bytes that are not valid in the declared charset', async () => {
    const parsed = await parseEmail(message(basicHeaders([['Content-Type', 'text/plain; charset=utf-8']]), Buffer.from([0x48, 0x69, 0x20, 0xff, 0xfe])));
    expect(parsed.text).toBe('Hi \uFFFD\uFFFD');
    expect(parsed.problems).toEqual(['some characters of the text could not be decoded (shown as �)']);
  });
});

describe('sanitizeFileName', () => {
  it.each([
    ['../../etc/passwd', 'passwd'],
    ['C:\\Users\\anna\\invoice.pdf', 'invoice.pdf'],
    ['bad\u0000\u0007name\u202e.txt', 'badname.txt'],
    ['what?*:<>|".doc', 'what.doc'],
    ['...hidden', 'hidden'],
    ['  견적서 (최종).pdf  ', '견적서 (최종).pdf'],
  ])('%j → %j', (raw, expected) => {
    expect(sanitizeFileName(raw, 1)).toBe(expected);
  });

  it('names an unnamed part by its position and type', () => {
    expect(sanitizeFileName(undefined, 1)).toBe('attachment-1.bin');
    expect(sanitizeFileName('///', 3, 'image/png')).toBe('attachment-3.png');
  });

  it('shortens a long name to 200 characters and keeps the extension', () => {
    const name = sanitizeFileName(`${'가'.repeat(300)}.pdf`, 1);
    expect(name).toHaveLength(200);
    expect(name.endsWith('가.pdf')).toBe(true);
  });
});
