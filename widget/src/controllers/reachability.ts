// Whether the API can be reached. The browser's online flag only knows about the network
// interface: with the server down (or a captive portal, a dead proxy) it still says online. So the
// SDK's requests report here too, through `fetch`: a request that fails to connect marks the server
// unreachable at once (the SDK's own retries would keep the visitor waiting ~15 s in silence), and
// any answer marks it reachable again.

/** `offline`: the browser has no network; `unreachable`: it has, but the API does not answer. */
export type Reach = 'online' | 'offline' | 'unreachable';

export class Reachability {
  reach: Reach = navigator.onLine ? 'online' : 'offline';
  private probeTimer: ReturnType<typeof setTimeout> | undefined;

  /**
   * @param changed called when `reach` changed; `back` is true when the API is reachable again.
   * @param probe asks the API something small (while unreachable, now and then).
   */
  constructor(
    private readonly changed: (back: boolean) => void,
    private readonly probe: () => void,
  ) {
    addEventListener('online', () => this.set('online'));
    addEventListener('offline', () => this.set('offline'));
  }

  get online(): boolean {
    return this.reach === 'online';
  }

  /** The `fetch` the SDK uses: the global one, reporting whether the API answered. */
  readonly fetch: typeof fetch = async (input, init) => {
    try {
      const response = await globalThis.fetch(input, init);
      this.set('online');
      return response;
    } catch (error) {
      if ((error as Error)?.name !== 'AbortError') this.lost();
      throw error;
    }
  };

  /** A request failed to connect. */
  lost(): void {
    this.set(navigator.onLine ? 'unreachable' : 'offline');
  }

  private set(reach: Reach): void {
    if (this.reach === reach) return;
    const back = reach === 'online';
    this.reach = reach;
    clearTimeout(this.probeTimer);
    if (!back) this.schedule(2000);
    this.changed(back);
  }

  /** Asks the server whether it is back, less often the longer it is gone (the browser may never say). */
  private schedule(delay: number): void {
    this.probeTimer = setTimeout(() => {
      if (navigator.onLine) this.probe();
      if (!this.online) this.schedule(Math.min(delay * 2, 30000));
    }, delay);
  }
}
