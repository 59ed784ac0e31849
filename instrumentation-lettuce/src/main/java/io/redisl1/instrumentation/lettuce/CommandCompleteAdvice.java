package io.redisl1.instrumentation.lettuce;

import io.lettuce.core.output.CommandOutput;
import io.lettuce.core.protocol.RedisCommand;
import io.redisl1.instrumentation.lettuce.support.CommandReply;
import io.redisl1.instrumentation.lettuce.support.ReplyCarrier;
import io.redisl1.store.L1Runtime;
import net.bytebuddy.asm.Advice;

/**
 * {@code CommandHandler#complete(RedisCommand)}: a reply has been decoded into the command's
 * output and the command is about to complete. Running before the completion means a write's
 * second invalidation happens before the application can see the write's reply.
 */
final class CommandCompleteAdvice {
  private CommandCompleteAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static void enter(@Advice.Argument(0) RedisCommand<?, ?, ?> command) {
    try {
      CommandOutput<?, ?, ?> output = command.getOutput();
      if (output instanceof ReplyCarrier) {
        CommandReply reply = ((ReplyCarrier) output).redisl1$reply();
        if (reply != null) {
          CommandReply.replied(reply, output.hasError());
        }
      }
    } catch (Throwable t) {
      L1Runtime.failed("Lettuce CommandHandler.complete", t);
    }
  }
}
