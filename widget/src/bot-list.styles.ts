import { css } from 'lit';

export const botListStyles = css`
  h3 {
    margin: 14px 8px 6px;
    font-size: 11px;
    font-weight: 600;
    letter-spacing: 0.06em;
    text-transform: uppercase;
    color: var(--_muted);
  }
  .bot {
    position: relative;
  }
  .pick {
    display: flex;
    align-items: center;
    gap: 10px;
    padding: 8px;
  }
  .pick[aria-current] .avatar {
    box-shadow: 0 0 0 2px var(--_accent);
  }
  .text {
    display: grid;
    min-width: 0;
  }
  .name {
    font-weight: 600;
    font-size: 14px;
  }
  .desc {
    font-size: 12px;
    color: var(--_muted);
  }
  .bot:has(.edit) .text {
    padding-inline-end: 30px;
  }
  .edit {
    position: absolute;
    inset-inline-end: 6px;
    top: 50%;
    width: 30px;
    height: 30px;
    translate: 0 -50%;
    opacity: 0;
  }
  .bot:hover .edit,
  .edit:focus-visible {
    opacity: 1;
  }
  .edit svg {
    width: 15px;
    height: 15px;
  }
  .new {
    width: 100%;
    margin-top: 14px;
    height: 38px;
    font-size: 13px;
  }
  @media (hover: none) {
    .edit {
      opacity: 1;
    }
  }
`;
