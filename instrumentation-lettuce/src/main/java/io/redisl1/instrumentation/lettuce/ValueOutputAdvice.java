package io.redisl1.instrumentation.lettuce;

import io.redisl1.instrumentation.lettuce.support.CommandReply;
import io.redisl1.instrumentation.lettuce.support.ReplyCarrier;
import java.nio.ByteBuffer;
import io.redisl1.store.L1Runtime;
import net.bytebuddy.asm.Advice;

/**
 * {@code ValueOutput#set(ByteBuffer)}: the raw bulk reply of a GET, before the codec decodes it.
 * Only commands the L1 is waiting on carry a {@link CommandReply}.
 */
final class ValueOutputAdvice {
  private ValueOutputAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static void enter(@Advice.This Object output, @Advice.Argument(0) ByteBuffer bytes) {
    try {
      if (output instanceof ReplyCarrier) {
        CommandReply reply = ((ReplyCarrier) output).redisl1$reply();
        if (reply != null) {
          CommandReply.capture(reply, bytes);
        }
      }
    } catch (Throwable t) {
      L1Runtime.failed("Lettuce ValueOutput.set", t);
    }
  }
}
