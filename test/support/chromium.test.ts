import { afterEach, describe, expect, it } from 'vitest';
import { ensureChromium } from './chromium';

describe('ensureChromium', () => {
  const saved = process.env.CHROMIUM_PATH;
  afterEach(() => {
    if (saved === undefined) delete process.env.CHROMIUM_PATH;
    else process.env.CHROMIUM_PATH = saved;
  });

  it('fails with one line naming a CHROMIUM_PATH that holds no binary, and installs nothing', () => {
    process.env.CHROMIUM_PATH = '/nonexistent/chromium';
    expect(() => ensureChromium()).toThrowError(/^no Chromium at CHROMIUM_PATH=\/nonexistent\/chromium: point it at a Chromium binary, or unset it to use Debian's \/usr\/bin\/chromium$/);
  });
});
