import fs from "node:fs";
import path from "node:path";
import { emptyRegion, persistedState, STATE_FORMAT_VERSION, type PersistedState, type RegionState } from "./model";

export const STATE_FILE = "elasticache-state.json";

export class StateFileError extends Error {}

/**
 * The control plane's metadata, per region, kept apart from the processes that back it. Callers change the records
 * in place and call save(); every save rewrites the file atomically (temp file + rename), so a crash leaves the
 * previous or the new state, never a torn file.
 */
export class MetadataStore {
  private deferring = 0;
  private dirty = false;

  private constructor(
    readonly file: string,
    private readonly state: PersistedState,
  ) {}

  static open(dataDir: string): MetadataStore {
    fs.mkdirSync(dataDir, { recursive: true });
    const file = path.join(dataDir, STATE_FILE);
    if (!fs.existsSync(file)) return new MetadataStore(file, { version: STATE_FORMAT_VERSION, regions: {} });
    let raw: unknown;
    try {
      raw = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (error) {
      throw new StateFileError(`${file} is not valid JSON (${(error as Error).message}); move it away to start empty`);
    }
    const parsed = persistedState.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new StateFileError(
        `${file} is not an emulator state file of version ${STATE_FORMAT_VERSION}: ${issue.path.join(".") || "(root)"}: ` +
          `${issue.message}; move it away to start empty`,
      );
    }
    return new MetadataStore(file, parsed.data);
  }

  /** The region's state, created empty on first use (and persisted with the next save). */
  region(name: string): RegionState {
    return (this.state.regions[name] ??= emptyRegion());
  }

  regionNames(): string[] {
    return Object.keys(this.state.regions);
  }

  /**
   * Runs `work` with saves coalesced into one at its end: loading a fleet of a thousand caches would otherwise
   * rewrite the whole file once per created resource. A crash meanwhile loses only what the fleet file recreates.
   */
  async deferSaves<T>(work: () => Promise<T>): Promise<T> {
    this.deferring++;
    try {
      return await work();
    } finally {
      if (--this.deferring === 0 && this.dirty) this.save();
    }
  }

  save(): void {
    this.dirty = this.deferring > 0;
    if (this.dirty) return;
    const temp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(temp, JSON.stringify(this.state));
    fs.renameSync(temp, this.file);
  }
}
