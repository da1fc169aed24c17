import { css } from 'lit';

export const chatViewStyles = css`
  :host {
    display: flex;
    flex-direction: column;
    min-height: 0;
  }
  .scroller {
    flex: 1;
    min-height: 0;
    overflow-y: auto;
    overscroll-behavior: contain;
  }
  .scroller:focus-visible {
    outline-offset: -2px;
  }
  .list {
    display: grid;
    gap: 18px;
    max-width: 820px;
    margin: 0 auto;
    padding: 20px 20px 8px;
    list-style: none;
  }
  .earlier {
    display: flex;
    height: 32px;
    margin: 16px auto 0;
    font-size: 13px;
  }
  .empty {
    display: grid;
    justify-items: center;
    align-content: center;
    gap: 6px;
    height: 100%;
    padding: 24px;
    text-align: center;
  }
  .hero {
    width: 64px;
    height: 64px;
    margin-bottom: 10px;
    border-radius: 20px;
    font-size: 32px;
    background: var(--_surface-3);
    box-shadow: 0 0 0 6px var(--_accent-soft);
  }
  h2 {
    margin: 0;
    font-size: 18px;
  }
  p {
    max-width: 360px;
    margin: 0;
    font-size: 14px;
  }
`;
