package io.redisl1.instrumentation.lettuce.support;

/**
 * Added by the agent to Lettuce's {@code CommandOutput}: its codec, and a way to set its result
 * without decoding, so an L1 hit can hand out the {@code String} an earlier hit on the same entry
 * decoded with the same codec instead of decoding the bytes again.
 */
public interface OutputAccess {
  Object redisl1$codec();

  void redisl1$output(Object decoded);
}
