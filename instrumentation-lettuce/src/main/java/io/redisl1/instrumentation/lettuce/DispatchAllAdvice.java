package io.redisl1.instrumentation.lettuce;

import io.lettuce.core.output.CommandOutput;
import io.lettuce.core.protocol.CompleteableCommand;
import io.lettuce.core.protocol.RedisCommand;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.redisl1.instrumentation.lettuce.support.CommandReply;
import io.redisl1.instrumentation.lettuce.support.LettuceConnectionL1;
import io.redisl1.instrumentation.lettuce.support.LettuceSupport;
import io.redisl1.instrumentation.lettuce.support.ReplyCarrier;
import io.redisl1.store.L1Runtime;
import java.util.Collection;
import net.bytebuddy.asm.Advice;

/**
 * {@code StatefulRedisConnectionImpl#dispatch(Collection)}: a batch written in one go (command
 * interfaces with {@code @BatchSize}). Nothing in it is answered from the L1; each command is told
 * to the session, so writes invalidate and reads may fill.
 */
final class DispatchAllAdvice {
  private DispatchAllAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  @SuppressWarnings({"rawtypes", "unchecked"})
  static void enter(
      @Advice.Argument(0) Collection<? extends RedisCommand<?, ?, ?>> commands,
      @Advice.FieldValue(LettuceInstrumentationModule.STATE_FIELD) LettuceConnectionL1 l1) {
    try {
      if (l1 == null || L1Runtime.current() == null || commands == null) {
        return;
      }
      for (RedisCommand<?, ?, ?> command : commands) {
        ByteBuf buf = Unpooled.buffer();
        byte[] resp;
        try {
          command.encode(buf);
          resp = new byte[buf.readableBytes()];
          buf.readBytes(resp);
        } finally {
          buf.release();
        }
        byte[][] argv = LettuceSupport.argv(resp);
        if (argv == null) {
          l1.session().detach("a Lettuce command that could not be read back");
          continue;
        }
        CommandReply reply = l1.sent(argv);
        if (reply != null) {
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
      }
    } catch (Throwable t) {
      L1Runtime.failed("Lettuce dispatch(Collection)", t);
    }
  }
}
