package io.redisl1.instrumentation.jedis;

import io.redisl1.store.L1Runtime;
import io.redisl1.store.session.PoolScope;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * After {@code PooledConnectionProvider#getConnection}: the connection handed out belongs to the
 * provider's pool; its session joins the pool's scope the first time (see {@link PoolScope}).
 */
final class PoolBorrowAdvice {
  private PoolBorrowAdvice() {}

  @Advice.OnMethodExit(suppress = Throwable.class)
  static void borrowed(
      @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object connection,
      @Advice.FieldValue(JedisInstrumentationModule.POOL_FIELD) PoolScope pool) {
    try {
      if (pool != null && connection instanceof JedisStateCarrier) {
        JedisConnectionState state = ((JedisStateCarrier) connection).redisl1$state();
        if (state != null) {
          state.inPool(pool);
        }
      }
    } catch (Throwable t) {
      L1Runtime.failed("Jedis pool", t);
    }
  }
}
