package io.redisl1.instrumentation.lettuce;

import io.redisl1.instrumentation.lettuce.support.L1Carrier;
import io.redisl1.instrumentation.lettuce.support.LettuceConnectionL1;
import net.bytebuddy.asm.Advice;

/**
 * {@code RedisChannelHandler#setAutoFlushCommands(boolean)}: while commands are held back for a
 * manual flush, a GET answered from the L1 could overtake a buffered write, so none is.
 */
final class AutoFlushAdvice {
  private AutoFlushAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static void enter(@Advice.This Object connection, @Advice.Argument(0) boolean autoFlush) {
    if (connection instanceof L1Carrier) {
      LettuceConnectionL1 l1 = ((L1Carrier) connection).redisl1$l1();
      if (l1 != null) {
        l1.autoFlush(autoFlush);
      }
    }
  }
}
