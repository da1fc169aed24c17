import { css } from 'lit';

export const sessionListStyles = css`
  .row {
    position: relative;
    border-radius: 12px;
  }
  .pick {
    display: grid;
    gap: 2px;
    padding: 9px 12px;
  }
  .title {
    font-size: 14px;
    font-weight: 500;
    padding-inline-end: 4px;
  }
  .meta {
    display: flex;
    align-items: center;
    gap: 6px;
    font-size: 12px;
    color: var(--_muted);
  }
  .meta svg {
    width: 13px;
    height: 13px;
  }
  .tools {
    position: absolute;
    inset-inline-end: 6px;
    top: 50%;
    translate: 0 -50%;
    display: flex;
    gap: 2px;
    padding-inline-start: 16px;
    border-radius: 10px;
    background: linear-gradient(to var(--_end), transparent, var(--_row) 16px);
    opacity: 0;
  }
  .row:hover .tools,
  .tools:focus-within {
    opacity: 1;
  }
  .row:has([aria-current]) {
    --_row: var(--_selected-solid);
  }
  .row:hover {
    --_row: var(--_hover-solid);
  }
  .tools .icon {
    width: 30px;
    height: 30px;
  }
  .tools svg {
    width: 15px;
    height: 15px;
  }
  .editing,
  .confirm {
    padding: 6px;
    background: var(--_surface-2);
  }
  .editing input {
    padding: 7px 10px;
  }
  .confirm {
    display: grid;
    flex: 1;
    gap: 8px;
    padding: 10px 12px;
    font-size: 13px;
    /* The whole title, however long: the visitor decides on it. */
    overflow-wrap: anywhere;
  }
  .actions {
    display: flex;
    gap: 8px;
  }
  .actions .btn {
    height: 32px;
    padding: 0 12px;
    font-size: 13px;
  }
  .danger-fill {
    background: var(--_danger);
    color: var(--_bg);
  }
  .empty {
    padding: 12px;
    font-size: 13px;
  }
  @media (hover: none) {
    .tools {
      opacity: 1;
    }
  }
`;
