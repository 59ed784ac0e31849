package io.redisl1.store.session;

/**
 * For tests of what a GET does to the L1 apart from its lifetime: a GET's {@link Pending} whose
 * reply is followed at once by the reply to its PTTL, as clients send it, saying the key has no
 * expiry, so a fill gets the rule's TTL.
 */
final class TtlReplies {
  private TtlReplies() {}

  static Pending withTtl(Pending get) {
    Pending ttl = get.expectTtl();
    if (ttl == null) {
      return get;
    }
    return new Pending() {
      @Override
      public void replied(Object reply, boolean error) {
        get.replied(reply, error);
        ttl.replied(-1L, false);
      }

      @Override
      public void abandoned() {
        get.abandoned();
        ttl.abandoned();
      }
    };
  }
}
