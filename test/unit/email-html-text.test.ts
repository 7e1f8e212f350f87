import { describe, expect, it } from 'vitest';
import { htmlToSafeText } from '../../channels/email/email-html-text.js';

describe('htmlToSafeText', () => {
  it('keeps paragraphs, line breaks and lists, and shows links as "text (url)"', () => {
    const html = '<p>Dear Anna,</p><p>see <a href="https://switchboard.test/offer">our offer</a>.<br>Prices:</p><ul><li>Basic</li><li>Business</li></ul><ol><li>Call</li><li>Sign</li></ol>';
    expect(htmlToSafeText(html)).toBe('Dear Anna,\n\nsee our offer (https://switchboard.test/offer).\nPrices:\n\n * Basic\n * Business\n\n 1. Call\n 2. Sign');
  });

  it('drops script, style and head content entirely', () => {
    const html = '<html><head><title>Newsletter</title><style>p { color: red }</style><script>var secret = 1;</script></head><body><p>Visible</p><script>alert("x")</script><noscript><img src="x"></noscript></body></html>';
    const text = htmlToSafeText(html);
    expect(text).toBe('Visible');
  });

  it('decodes entities and never answers markup', () => {
    const text = htmlToSafeText('<div>Tom &amp; Jerry &lt;3 &quot;quoted&quot; &#xD55C;&#xAE00; caf&eacute;&nbsp;au&nbsp;lait</div>');
    expect(text).toBe('Tom & Jerry <3 "quoted" 한글 café au lait');
    expect(htmlToSafeText('<b>bold</b> <i>italic</i> <span style="x">span</span>')).not.toMatch(/<\/?[a-z]+[^>]*>/u);
  });

  it('shows inline images as "[image: name]" and hides remote pixels', () => {
    const html = '<p>Our logo: <img src="cid:logo.png@01DA5E"> and a chart <img src="cid:c1@x" alt="Sales chart"><img src="https://tracker.test/p.gif" width="1"></p>';
    expect(htmlToSafeText(html)).toBe('Our logo: [image: logo.png] and a chart [image: Sales chart]');
    expect(htmlToSafeText('<img src="cid:part1.06090408@x.test">', { imageNames: new Map([['part1.06090408@x.test', 'photo.jpg']]) })).toBe('[image: photo.jpg]');
  });

  it('shows a link that would run code as its text only', () => {
    expect(htmlToSafeText('<a href="javascript:alert(1)">Click me</a> <a href="mailto:anna@customer.test">anna@customer.test</a>')).toBe('Click me anna@customer.test');
  });

  it('quotes a blockquote with "> " so quote trimming can find it', () => {
    expect(htmlToSafeText('<p>Yes.</p><blockquote>Earlier question</blockquote>')).toBe('Yes.\n\n> Earlier question');
  });

  it('bounds the answer and marks the cut', () => {
    const text = htmlToSafeText(`<p>${'word '.repeat(10_000)}</p>`, { maxLength: 100 });
    expect(text).toHaveLength(100);
    expect(text.endsWith('…')).toBe(true);
  });

  it('answers an empty string for empty or markup-only HTML', () => {
    expect(htmlToSafeText('')).toBe('');
    expect(htmlToSafeText('<div><br></div>')).toBe('');
  });
});
