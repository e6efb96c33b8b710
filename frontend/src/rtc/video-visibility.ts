// Which remote videos this page does not show, told to the SFU (`video_visibility`), which
// then sends none of their packets; shown again, each resumes at a keyframe. A tile off
// screen (IntersectionObserver) is hidden, and so is every video while the tab is hidden.
// Changes are debounced (a scroll passes tiles by without a message each) and only a set
// that differs from the last one sent goes out; after a reconnect (a fresh server session,
// where everything is shown) the set is sent again if anything is hidden.

/** How the SFU names a video: `<user id>:camera`, `<user id>:screen`. */
export type VideoName = `${string}:${'camera' | 'screen'}`;

export interface VisibilityOptions {
  /** Sends the whole hidden set; rejects when it did not reach the server. */
  send: (hidden: VideoName[]) => Promise<unknown>;
  delayMs?: number;
  /** After a send that failed (not connected, rate limited), try again this much later. */
  retryMs?: number;
  setTimeout?: (callback: () => void, ms: number) => unknown;
  clearTimeout?: (handle: unknown) => void;
}

export class VisibilityReporter {
  private readonly tiles = new Map<VideoName, boolean>(); // name → visible
  private pageHidden = false;
  /** What the server holds, as a sorted key; null: unknown, send whatever is hidden. */
  private sent: string | null = '';
  private timer: unknown = null;
  private stopped = false;
  private readonly delayMs: number;
  private readonly retryMs: number;
  private readonly set: (callback: () => void, ms: number) => unknown;
  private readonly clear: (handle: unknown) => void;

  constructor(private readonly options: VisibilityOptions) {
    this.delayMs = options.delayMs ?? 300;
    this.retryMs = options.retryMs ?? 2000;
    this.set = options.setTimeout ?? ((callback, ms) => globalThis.setTimeout(callback, ms));
    this.clear =
      options.clearTimeout ??
      ((handle) => {
        globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>);
      });
  }

  /** A remote tile came into view or left it. */
  tile(name: VideoName, visible: boolean): void {
    if (this.tiles.get(name) !== visible) {
      this.tiles.set(name, visible);
      this.schedule();
    }
  }

  /** The tile went away (the video ended): nothing to hold back any more. */
  forget(name: VideoName): void {
    if (this.tiles.delete(name)) {
      this.schedule();
    }
  }

  /** The tab was hidden (`document.visibilityState`) or shown again. */
  page(hidden: boolean): void {
    if (this.pageHidden !== hidden) {
      this.pageHidden = hidden;
      this.schedule();
    }
  }

  /** A new socket: the server's session starts with every video shown. */
  reconnected(): void {
    this.sent = '';
    this.schedule();
  }

  /** The videos not shown now, sorted. */
  hidden(): VideoName[] {
    const names = [...this.tiles].filter(([, visible]) => this.pageHidden || !visible);
    return names.map(([name]) => name).sort();
  }

  stop(): void {
    this.stopped = true;
    this.cancel();
  }

  private cancel(): void {
    if (this.timer !== null) {
      this.clear(this.timer);
      this.timer = null;
    }
  }

  private schedule(delayMs = this.delayMs): void {
    if (this.stopped) {
      return;
    }
    this.cancel();
    this.timer = this.set(() => {
      this.timer = null;
      this.flush();
    }, delayMs);
  }

  private flush(): void {
    const hidden = this.hidden();
    const key = hidden.join(' ');
    if (key === this.sent) {
      return;
    }
    this.sent = key;
    this.options.send(hidden).catch(() => {
      // Not taken (not connected, rate limited): what the server holds is unknown now.
      if (this.sent === key) {
        this.sent = null;
        this.schedule(this.retryMs);
      }
    });
  }
}
