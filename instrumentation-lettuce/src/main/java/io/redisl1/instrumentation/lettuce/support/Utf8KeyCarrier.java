package io.redisl1.instrumentation.lettuce.support;

/**
 * Added by the agent to Lettuce's {@code CommandArgs}: its first argument when that is a {@code
 * String} key that {@code StringCodec.UTF8} encodes (the codec of {@code RedisClient.connect()}),
 * so a GET can be looked up in the L1 without encoding the key; null otherwise.
 */
public interface Utf8KeyCarrier {
  Object redisl1$utf8Key();
}
