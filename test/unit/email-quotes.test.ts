import { describe, expect, it } from 'vitest';
import { trimQuotedHistory } from '../../channels/email/email-quotes.js';

const lines = (...l: string[]) => l.join('\n');

describe('trimQuotedHistory: quoted history', () => {
  it('cuts an English Gmail reply at "On … wrote:" and the quote below it', () => {
    const text = lines(
      'Thanks, Tuesday works for us.',
      '',
      'On Sat, Nov 28, 2026 at 3:00 PM Switchboard Sales <sales@switchboard.test> wrote:',
      '> Hello Anna,',
      '> would Tuesday suit you for a call?',
    );
    expect(trimQuotedHistory(text)).toEqual({ visible: 'Thanks, Tuesday works for us.', trimmed: true });
  });

  it('recognises an attribution Gmail wrapped onto two lines', () => {
    const text = lines('Yes please.', '', 'On Sat, Nov 28, 2026 at 3:00 PM Switchboard Sales <', 'sales@switchboard.test> wrote:', '', '> Shall we send the offer?');
    expect(trimQuotedHistory(text).visible).toBe('Yes please.');
  });

  it('cuts a Korean Gmail reply ("…님이 작성:")', () => {
    const text = lines('네, 화요일 좋습니다.', '', '2026년 11월 28일 (토) 오후 3:00, 김민지 <minji@customer.kr>님이 작성:', '> 안녕하세요,', '> 통화 가능하신 시간 알려주세요.');
    expect(trimQuotedHistory(text)).toEqual({ visible: '네, 화요일 좋습니다.', trimmed: true });
  });

  it('cuts a Russian reply ("… пишет:")', () => {
    const text = lines('Добрый день! Счёт получили.', '', '28 нояб. 2026 г., в 15:00, Иван <ivan@customer.ru> пишет:', '> Отправляю счёт во вложении.');
    expect(trimQuotedHistory(text).visible).toBe('Добрый день! Счёт получили.');
  });

  it('cuts a German reply ("Am … schrieb …:")', () => {
    const text = lines('Danke, passt.', '', 'Am 28.11.2026 um 15:00 schrieb Max Mustermann <max@kunde.de>:', '> Anbei das Angebot.');
    expect(trimQuotedHistory(text).visible).toBe('Danke, passt.');
  });

  it('cuts Outlook\'s "-----Original Message-----" and Korean "-----원본 메시지-----" blocks', () => {
    const english = lines('Please call me back.', '', '-----Original Message-----', 'From: Sales <sales@switchboard.test>', 'Sent: Saturday, November 28, 2026 3:00 PM', 'Subject: Offer', '', 'Here is the offer.');
    const korean = lines('확인했습니다.', '', '-----원본 메시지-----', '보낸 사람: Sales <sales@switchboard.test>', '받는 사람: minji@customer.kr', '제목: 견적', '', '견적서 보내드립니다.');
    expect(trimQuotedHistory(english).visible).toBe('Please call me back.');
    expect(trimQuotedHistory(korean).visible).toBe('확인했습니다.');
  });

  it('cuts Outlook\'s "From: … Sent: …" block under an underscore line', () => {
    const text = lines(
      'Agreed, go ahead.',
      '',
      '________________________________',
      'From: Switchboard Sales <sales@switchboard.test>',
      'Sent: Saturday, November 28, 2026 3:00 PM',
      'To: Anna Kim <anna.kim@customer.test>',
      'Subject: RE: Offer',
      '',
      'Shall we proceed?',
    );
    expect(trimQuotedHistory(text).visible).toBe('Agreed, go ahead.');
  });

  it.each([
    ['Korean', '보낸 사람: Sales <sales@switchboard.test>', '보낸 날짜: 2026년 11월 28일 토요일 오후 3:00'],
    ['Russian', 'От: Sales <sales@switchboard.test>', 'Отправлено: 28 ноября 2026 г. 15:00'],
    ['German', 'Von: Sales <sales@switchboard.test>', 'Gesendet: Samstag, 28. November 2026 15:00'],
  ])('cuts a %s Outlook header block', (_language, fromLine, sentLine) => {
    expect(trimQuotedHistory(lines('OK.', '', fromLine, sentLine, 'Subject: Offer', '', 'Old text')).visible).toBe('OK.');
  });

  it('keeps an Apple Mail forward ("Begin forwarded message:")', () => {
    const text = lines('See below.', '', 'Begin forwarded message:', '', 'From: Anna Kim <anna.kim@customer.test>', 'Subject: Pricing', 'Date: November 28, 2026 at 15:00:00 GMT+9', 'To: boss@customer.test', '', 'Can we get 25 seats?');
    expect(trimQuotedHistory(text).trimmed).toBe(false);
  });

  it('cuts a trailing block of "> " lines without an attribution', () => {
    expect(trimQuotedHistory(lines('Sounds good.', '', '> earlier text', '>', '> more earlier text')).visible).toBe('Sounds good.');
  });

  it('keeps an inline reply, where answers sit between quoted lines', () => {
    const text = lines('See my answers below.', '', 'On Sat, Nov 28, 2026 at 3:00 PM Sales <sales@switchboard.test> wrote:', '> How many seats?', '25 seats.', '> Which plan?', 'Business.');
    expect(trimQuotedHistory(text)).toEqual({ visible: text, trimmed: false });
  });

  it('keeps a forwarded message: Gmail\'s "Forwarded message" block is content', () => {
    const text = lines(
      'FYI, see the request below.',
      '',
      '---------- Forwarded message ---------',
      'From: Anna Kim <anna.kim@customer.test>',
      'Date: Sat, Nov 28, 2026 at 3:00 PM',
      'Subject: Pricing',
      'To: <boss@customer.test>',
      '',
      'Can we get 25 seats?',
    );
    expect(trimQuotedHistory(text)).toEqual({ visible: text, trimmed: false });
  });

  it('keeps the whole text when the message is only a quote', () => {
    const text = lines('On Sat, Nov 28, 2026 at 3:00 PM Sales <sales@switchboard.test> wrote:', '> Hello Anna,', '> any news?');
    expect(trimQuotedHistory(text)).toEqual({ visible: text, trimmed: false });
    expect(trimQuotedHistory('> only quoted\n> lines')).toEqual({ visible: '> only quoted\n> lines', trimmed: false });
  });

  it('does not take an ordinary sentence ending in "пишет:" or "wrote:" for an attribution', () => {
    const text = lines('Вот что клиент пишет:', 'нужно 25 мест.', '', 'As my colleague wrote:', 'we need it by Friday.');
    expect(trimQuotedHistory(text)).toEqual({ visible: text, trimmed: false });
  });

  it('reads a very long inline reply with many attributions in one pass', () => {
    const rounds = Array.from({ length: 20_000 }, (_, i) => [`On day ${i} Sales <s@x.test> wrote:`, `> question ${i}`, `answer ${i}`]).flat();
    const result = trimQuotedHistory(lines('Answers inline.', ...rounds));
    expect(result.trimmed).toBe(false);
    expect(result.visible.endsWith('answer 19999')).toBe(true);
  });

  it('leaves a message without history untouched', () => {
    expect(trimQuotedHistory('Hello,\r\nhow much is delivery to Busan?\r\n')).toEqual({ visible: 'Hello,\nhow much is delivery to Busan?', trimmed: false });
  });
});

describe('trimQuotedHistory: signatures', () => {
  it('cuts everything after the "-- " delimiter', () => {
    const text = lines('Please send the invoice.', '', '-- ', 'Anna Kim', 'Head of Procurement, Customer Ltd', '+82 2 123 4567');
    expect(trimQuotedHistory(text)).toEqual({ visible: 'Please send the invoice.', trimmed: true });
  });

  it.each([
    ['Sent from my iPhone'],
    ['Отправлено с iPhone'],
    ['iPhone에서 보냄'],
    ['Get Outlook for iOS'],
    ['Von meinem iPhone gesendet'],
  ])('cuts the mobile signature "%s" at the end', (signature) => {
    expect(trimQuotedHistory(lines('OK, confirmed.', '', signature)).visible).toBe('OK, confirmed.');
  });

  it('cuts a mobile signature and the quote under it together', () => {
    const text = lines('Confirmed.', '', 'Sent from my iPhone', '', 'On Nov 28, 2026, at 15:00, Sales <sales@switchboard.test> wrote:', '', '> Can you confirm?');
    expect(trimQuotedHistory(text).visible).toBe('Confirmed.');
  });

  it('keeps "Sent from my iPhone" written in the middle of a sentence block', () => {
    const text = lines('Sent from my iPhone', 'is what my old phone used to add; can you remove it from your template?');
    expect(trimQuotedHistory(text).trimmed).toBe(false);
  });
});
