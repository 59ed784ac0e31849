package io.redisl1.instrumentation.lettuce.support;

/**
 * Added by the agent to Lettuce's {@code CommandOutput}: the one object every wrapper of a command
 * (async, reactive, transactional, latency-metered) shares, so a reply can be matched to the
 * {@link CommandReply} that was waiting for it.
 */
public interface ReplyCarrier {
  CommandReply redisl1$reply();

  void redisl1$reply(CommandReply reply);
}
