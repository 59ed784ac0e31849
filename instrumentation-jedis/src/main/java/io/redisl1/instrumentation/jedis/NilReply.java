package io.redisl1.instrumentation.jedis;

/**
 * Stands for a cached nil on its way from the hit advice to the method's return value: the enter
 * advice returns null to mean "no hit", so a nil hit needs a non-null token.
 */
public final class NilReply {
  public static final NilReply INSTANCE = new NilReply();

  private NilReply() {}
}
