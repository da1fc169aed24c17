import { css } from 'lit';

export const authFormStyles = css`
  :host {
    display: grid;
    place-items: center;
    height: 100%;
    padding: 24px 16px;
    overflow: auto;
  }
  .card {
    display: grid;
    gap: 16px;
    width: min(100%, 360px);
    padding: 32px 28px 24px;
    border: 1px solid var(--_border);
    border-radius: 20px;
    background: var(--_surface);
    box-shadow: var(--_shadow);
  }
  @container frame (max-width: 480px) {
    .card {
      border: 0;
      background: none;
      box-shadow: none;
    }
  }
  .logo {
    display: grid;
    place-items: center;
    width: 48px;
    height: 48px;
    border-radius: 14px;
    background: var(--_gradient);
    color: #fff;
  }
  .logo svg {
    width: 24px;
    height: 24px;
  }
  h2 {
    margin: 4px 0 -8px;
    font-size: 22px;
    letter-spacing: -0.01em;
  }
  p {
    margin: 0;
    font-size: 14px;
  }
  .btn {
    height: 44px;
    margin-top: 4px;
  }
  .switch {
    text-align: center;
    font-size: 13px;
  }
  .link {
    color: var(--_link);
    font-weight: 600;
  }
  .link:hover {
    text-decoration: underline;
  }
`;
