// Counts wrong guesses at one secret (an email OTP, a reauthentication nonce, an MFA challenge, a
// factor) so the secret can be burned before a brute force gets through. The per-IP limits alone
// cannot do this: they reset with time and with every new address an attacker has.

/** Wrong codes that burn an email OTP, a nonce or an MFA challenge: the fifth wrong one does. */
export const MAX_FAILED_ATTEMPTS = 5;

interface Tally {
  count: number;
  expires: number;
}

export class FailedAttempts {
  private tallies = new Map<string, Tally>();

  /** At most `max` failures per key within `windowSeconds` of the first; `capacity` keys kept. */
  constructor(
    readonly max: number,
    private readonly windowSeconds: number,
    private readonly capacity = 100_000,
  ) {}

  /** Records one failure for `key`; true when the key has now used up its failures. */
  fail(key: string, now = Date.now()): boolean {
    let tally = this.live(key, now);
    if (!tally) {
      this.makeRoom(now);
      tally = { count: 0, expires: now + this.windowSeconds * 1000 };
      this.tallies.set(key, tally);
    }
    tally.count += 1;
    return tally.count >= this.max;
  }

  /** True while `key` has no failures left. */
  exhausted(key: string, now = Date.now()): boolean {
    return (this.live(key, now)?.count ?? 0) >= this.max;
  }

  forget(key: string): void {
    this.tallies.delete(key);
  }

  private live(key: string, now: number): Tally | undefined {
    const tally = this.tallies.get(key);
    if (tally && tally.expires <= now) {
      this.tallies.delete(key);
      return undefined;
    }
    return tally;
  }

  // Expired tallies go first; if that is not enough, the oldest. Never a wholesale clear, which
  // would let a flood of keys wipe an attacker's count.
  private makeRoom(now: number): void {
    if (this.tallies.size < this.capacity) return;
    for (const [key, tally] of this.tallies) if (tally.expires <= now) this.tallies.delete(key);
    const oldest = this.tallies.keys().next();
    if (this.tallies.size >= this.capacity && !oldest.done) this.tallies.delete(oldest.value);
  }
}
