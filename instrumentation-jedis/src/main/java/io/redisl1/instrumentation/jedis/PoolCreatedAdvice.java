package io.redisl1.instrumentation.jedis;

import io.redisl1.store.L1Runtime;
import io.redisl1.store.session.PoolScope;
import net.bytebuddy.asm.Advice;

/**
 * After each constructor of {@code PooledConnectionProvider}: gives the provider its {@link
 * PoolScope}. Subclasses (multi-cluster failover providers route between several pools) get none,
 * so their GETs are only ever answered by the connection they borrow.
 */
final class PoolCreatedAdvice {
  private PoolCreatedAdvice() {}

  @Advice.OnMethodExit(suppress = Throwable.class)
  static void created(
      @Advice.This Object provider,
      @Advice.FieldValue(value = JedisInstrumentationModule.POOL_FIELD, readOnly = false) PoolScope pool) {
    try {
      if (pool == null && provider.getClass().getName().equals(JedisInstrumentationModule.POOLED_PROVIDER)) {
        pool = new PoolScope();
      }
    } catch (Throwable t) {
      L1Runtime.failed("Jedis pool", t);
    }
  }
}
