package io.redisl1.instrumentation.lettuce;

import io.lettuce.core.output.CommandOutput;
import io.lettuce.core.protocol.RedisCommand;
import io.redisl1.instrumentation.lettuce.support.CommandReply;
import io.redisl1.instrumentation.lettuce.support.ReplyCarrier;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * {@code CommandHandler#potentiallyWrapLatencyCommand(RedisCommand)}: with command latency
 * metrics on, Lettuce wraps each command it stacks to time it. The agent's own PTTL ({@link
 * PttlAheadAdvice}) is stacked as it is, so the application's metrics never count it.
 */
final class PttlLatencyAdvice {
  private PttlLatencyAdvice() {}

  @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
  static Object enter(@Advice.Argument(0) RedisCommand<?, ?, ?> command) {
    CommandOutput<?, ?, ?> output = command.getOutput();
    if (output instanceof ReplyCarrier) {
      CommandReply reply = ((ReplyCarrier) output).redisl1$reply();
      if (reply != null && reply.pttl() != null) {
        return command;
      }
    }
    return null;
  }

  @Advice.OnMethodExit(suppress = Throwable.class)
  static void exit(
      @Advice.Enter Object hidden,
      @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object returned) {
    if (hidden != null) {
      returned = hidden;
    }
  }
}
