package io.redisl1.instrumentation.lettuce;

import io.lettuce.core.output.CommandOutput;
import io.redisl1.instrumentation.lettuce.support.CommandReply;
import io.redisl1.instrumentation.lettuce.support.ReplyCarrier;
import io.redisl1.store.L1Runtime;
import net.bytebuddy.asm.Advice;

/**
 * {@code MultiOutput#complete(int)}: EXEC's reply is being decoded, and the commands queued in the
 * transaction are about to be completed one by one, each before EXEC itself. Redis has run the
 * transaction by now, so EXEC's reply is handed over here, before the application can see any of
 * its results; {@link CommandCompleteAdvice} finds it already done.
 */
final class MultiOutputAdvice {
  private MultiOutputAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static void enter(@Advice.This CommandOutput<?, ?, ?> output) {
    try {
      if (output instanceof ReplyCarrier) {
        CommandReply reply = ((ReplyCarrier) output).redisl1$reply();
        if (reply != null) {
          CommandReply.replied(reply, output.hasError());
        }
      }
    } catch (Throwable t) {
      L1Runtime.failed("Lettuce MultiOutput.complete", t);
    }
  }
}
