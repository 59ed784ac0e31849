package io.redisl1.store;

/**
 * One thread's lookup state, reused by every lookup on that thread: the key it probes the cache
 * with, and how many lookups remain until one is timed for the hit-latency sample. Kept apart from
 * {@link L1Key} so that the keys the cache stores carry no sampling field.
 */
final class LookupProbe {
  final L1Key key = new L1Key();
  /** Counts down on every lookup; the lookup that takes it to zero is timed and resets it. */
  int untilTimed = L1Store.HIT_TIMING_PERIOD;
}
