package io.redisl1.instrumentation.lettuce;

import io.lettuce.core.output.CommandOutput;
import io.lettuce.core.protocol.CommandWrapper;
import io.lettuce.core.protocol.CompleteableCommand;
import io.lettuce.core.protocol.RedisCommand;
import io.redisl1.instrumentation.lettuce.support.CommandReply;
import io.redisl1.instrumentation.lettuce.support.LettuceConnectionL1;
import io.redisl1.instrumentation.lettuce.support.ReplyCarrier;
import io.redisl1.instrumentation.lettuce.support.WireCarrier;
import io.redisl1.store.L1Runtime;
import io.redisl1.store.session.RedisSession;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import net.bytebuddy.asm.Advice;

/**
 * {@code StatefulRedisConnectionImpl#dispatch(Collection)}: a batch written in one go (command
 * interfaces with {@code @BatchSize}). Nothing in it is answered from the L1; each command is
 * prepared as {@link DispatchAdvice} prepares a miss, so writes invalidate when written and reads
 * may fill.
 */
final class DispatchAllAdvice {
  private DispatchAllAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  @SuppressWarnings({"rawtypes", "unchecked"})
  static List<CommandReply> enter(
      @Advice.Argument(0) Collection<? extends RedisCommand<?, ?, ?>> commands,
      @Advice.FieldValue(LettuceInstrumentationModule.STATE_FIELD) LettuceConnectionL1 l1) {
    try {
      if (l1 == null || L1Runtime.current() == null || commands == null) {
        return null;
      }
      List<CommandReply> replies = new ArrayList<>(commands.size());
      for (RedisCommand<?, ?, ?> command : commands) {
        CommandReply reply = l1.dispatched(command.getType().getBytes());
        replies.add(reply);
        RedisCommand<?, ?, ?> inner = CommandWrapper.unwrap((RedisCommand) command);
        if (inner instanceof WireCarrier) {
          ((WireCarrier) inner).redisl1$wire(reply);
        } else {
          l1.session().detach("a Lettuce command of a type the agent does not know");
          reply.written(new byte[][] {command.getType().getBytes()}, RedisSession.readToken());
        }
        CommandOutput output = command.getOutput();
        if (output instanceof ReplyCarrier) {
          ((ReplyCarrier) output).redisl1$reply(reply);
        }
        if (command instanceof CompleteableCommand) {
          ((CompleteableCommand) command).onComplete(reply);
        } else if (output == null) {
          reply.abandoned();
        }
      }
      return replies;
    } catch (Throwable t) {
      L1Runtime.failed("Lettuce dispatch(Collection)", t);
      return null;
    }
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(@Advice.Enter List<CommandReply> replies, @Advice.Thrown Throwable thrown) {
    if (thrown != null && replies != null) {
      for (CommandReply reply : replies) {
        reply.abandoned(); // nothing was queued
      }
    }
  }
}
