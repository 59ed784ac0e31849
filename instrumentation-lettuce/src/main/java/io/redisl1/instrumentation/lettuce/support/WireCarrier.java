package io.redisl1.instrumentation.lettuce.support;

/**
 * Added by the agent to Lettuce's {@code Command}: the innermost object of every wrapper chain
 * (async, reactive, transactional, traced, latency-metered), and the one whose {@code encode}
 * writes the bytes that go to Redis. Dispatch leaves the {@link CommandReply} here so that the
 * encode can tell the session what was written.
 */
public interface WireCarrier {
  CommandReply redisl1$wire();

  void redisl1$wire(CommandReply reply);
}
