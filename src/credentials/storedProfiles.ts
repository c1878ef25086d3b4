// Profiles added inside VS Code. The list (name, AccessKey ID, region) is kept in the extension's
// global state; the AccessKey secret is kept only in the secret storage.
import type { StoredProfile, StoredProfileSource } from './sources';

/** The part of `vscode.Memento` used here. */
export interface KeyValueState {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void>;
}

/** The part of `vscode.SecretStorage` used here. */
export interface SecretStore {
  get(key: string): Thenable<string | undefined>;
  store(key: string, value: string): Thenable<void>;
  delete(key: string): Thenable<void>;
}

const LIST_KEY = 'alibabaCloud.ecs.addedProfiles';

function secretKey(name: string): string {
  return `alibabaCloud.ecs.profile.${encodeURIComponent(name)}.accessKeySecret`;
}

export class StoredProfiles implements StoredProfileSource {
  constructor(
    private readonly state: KeyValueState,
    private readonly secrets: SecretStore,
  ) {}

  list(): StoredProfile[] {
    const value = this.state.get<unknown>(LIST_KEY);
    if (!Array.isArray(value)) {
      return [];
    }
    return value.filter(
      (entry): entry is StoredProfile =>
        typeof entry === 'object' &&
        entry !== null &&
        typeof entry.name === 'string' &&
        typeof entry.accessKeyId === 'string' &&
        typeof entry.regionId === 'string',
    );
  }

  readSecret(name: string): Promise<string | undefined> {
    return Promise.resolve(this.secrets.get(secretKey(name)));
  }

  /** Adds or replaces a profile. The secret is stored before the list names the profile. */
  async add(profile: StoredProfile, accessKeySecret: string): Promise<void> {
    await this.secrets.store(secretKey(profile.name), accessKeySecret);
    const others = this.list().filter((entry) => entry.name !== profile.name);
    await this.state.update(LIST_KEY, [
      ...others,
      { name: profile.name, accessKeyId: profile.accessKeyId, regionId: profile.regionId },
    ]);
  }

  async remove(name: string): Promise<void> {
    await this.state.update(
      LIST_KEY,
      this.list().filter((entry) => entry.name !== name),
    );
    await this.secrets.delete(secretKey(name));
  }
}
