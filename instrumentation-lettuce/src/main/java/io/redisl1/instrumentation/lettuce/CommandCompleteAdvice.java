package io.redisl1.instrumentation.lettuce;

import io.lettuce.core.output.CommandOutput;
import io.lettuce.core.protocol.CommandWrapper;
import io.lettuce.core.protocol.RedisCommand;
import io.redisl1.instrumentation.lettuce.support.CommandReply;
import io.redisl1.instrumentation.lettuce.support.ReplyCarrier;
import io.redisl1.instrumentation.lettuce.support.WireCarrier;
import io.redisl1.store.L1Runtime;
import net.bytebuddy.asm.Advice;

/**
 * {@code CommandHandler#complete(RedisCommand)}: a reply has been decoded into the command's
 * output and the command is about to complete. Running before the completion means a write's
 * second invalidation happens before the application can see the write's reply.
 *
 * <p>The reply is found on the output the reply was decoded into or, failing that, on the
 * innermost {@code Command}: a command's output may have been swapped after dispatch (EXEC's
 * {@code MultiOutput}). The agent's own PTTL ({@link PttlAheadAdvice}) is completed here too.
 */
final class CommandCompleteAdvice {
  private CommandCompleteAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  @SuppressWarnings({"rawtypes", "unchecked"})
  static void enter(@Advice.Argument(0) RedisCommand<?, ?, ?> command) {
    try {
      CommandOutput<?, ?, ?> output = command.getOutput();
      CommandReply reply = output instanceof ReplyCarrier ? ((ReplyCarrier) output).redisl1$reply() : null;
      if (reply == null) {
        RedisCommand<?, ?, ?> inner = CommandWrapper.unwrap((RedisCommand) command);
        reply = inner instanceof WireCarrier ? ((WireCarrier) inner).redisl1$wire() : null;
      }
      if (reply != null && reply.pttl() != null) {
        // The agent's own PTTL ahead of a GET: its reply goes to that GET's fill, nowhere else.
        reply.pttl().replied(output.hasError() ? null : output.get(), output.getError());
      } else if (reply != null) {
        CommandReply.replied(reply, output != null && output.hasError());
      }
    } catch (Throwable t) {
      L1Runtime.failed("Lettuce CommandHandler.complete", t);
    }
  }
}
