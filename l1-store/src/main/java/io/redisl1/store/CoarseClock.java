package io.redisl1.store;

/**
 * A clock for the hit path that costs one volatile read instead of a {@code System.nanoTime()}
 * (a clock read through the hypervisor on VMs, several times the rest of a lookup).
 *
 * <p>A daemon thread ({@code redis-l1-clock}) publishes {@code System.nanoTime()} every {@link
 * #TICK_MILLIS} ms, so the published time lags the real one by the tick plus however late the
 * thread gets the CPU. The store trusts it only for entries whose deadline is more than {@link
 * #TRUST_WINDOW_NANOS} (1 s) ahead of it; nearer their deadline, entries are checked against {@code
 * System.nanoTime()} itself. So an entry is never served past its deadline (and never past its key's
 * expiry in Redis less {@code ttl-margin}) unless the ticker is kept off the CPU for more than a
 * second while application threads run; a pause of the whole JVM (GC, a stopped process) stops
 * the hits too. A ticker later than the window logs one warning naming the delay.
 *
 * <p>If the ticker cannot run (no thread could be started, or it died), {@link #now} reports
 * {@link #EXACT} and every check uses {@code System.nanoTime()}.
 */
final class CoarseClock {
  /** How often the ticker publishes the time. */
  static final long TICK_MILLIS = 10;
  /** Entries nearer their deadline than this (on the published time) are checked exactly. */
  static final long TRUST_WINDOW_NANOS = 1_000_000_000L;
  /**
   * Endpoint leases (see {@code EndpointState#provenFreshAt}) nearer their end than this are checked
   * exactly. Smaller than the entries' window: a lease is renewed every canary interval, so with
   * the default settings (a 800 ms lease renewed every 200 ms) it is always ~600 ms from its end
   * and hits never read the exact clock for it; a lease much shorter than this window costs every
   * hit a {@code System.nanoTime()}.
   */
  static final long LEASE_TRUST_WINDOW_NANOS = 100_000_000L;
  /** The published time is not to be trusted: use {@code System.nanoTime()}. */
  static final long EXACT = Long.MIN_VALUE;

  private static final CoarseClock INSTANCE = new CoarseClock();

  private volatile long now;

  private CoarseClock() {
    now = EXACT;
    try {
      Thread ticker = new Thread(this::tick, "redis-l1-clock");
      ticker.setDaemon(true);
      ticker.start();
    } catch (Throwable t) {
      L1Log.warnOnce("clock", "the L1's clock thread did not start (" + t + "); hits read System.nanoTime()");
    }
  }

  static CoarseClock get() {
    return INSTANCE;
  }

  /** The published time, or {@link #EXACT}. One volatile read. */
  long now() {
    return now;
  }

  private void tick() {
    try {
      long last = System.nanoTime();
      now = last;
      while (true) {
        Thread.sleep(TICK_MILLIS);
        long time = System.nanoTime();
        if (time - last > TRUST_WINDOW_NANOS) {
          L1Log.warnOnce(
              "clock-late",
              "the L1's clock thread was off the CPU for " + (time - last) / 1_000_000
                  + " ms; an entry within that much of its deadline may have been served late"
                  + " (expected with a paused JVM, which pauses hits too)");
        }
        last = time;
        now = time;
      }
    } catch (Throwable t) {
      now = EXACT;
      if (!(t instanceof InterruptedException)) {
        L1Log.warnOnce("clock", "the L1's clock thread stopped (" + t + "); hits read System.nanoTime()");
      }
    }
  }
}
