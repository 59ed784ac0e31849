package io.redisl1.instrumentation.lettuce;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.CommandOutput;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.output.ValueOutput;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandHandler;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.CommandWrapper;
import io.lettuce.core.protocol.RedisCommand;
import io.netty.channel.ChannelHandlerContext;
import io.redisl1.instrumentation.lettuce.support.CommandReply;
import io.redisl1.instrumentation.lettuce.support.ReplyCarrier;
import io.redisl1.instrumentation.lettuce.support.TtlProbe;
import io.redisl1.instrumentation.lettuce.support.WireCarrier;
import io.redisl1.store.L1Runtime;
import java.util.Collection;
import net.bytebuddy.asm.Advice;

/**
 * {@code CommandHandler#write(ChannelHandlerContext, Object, ChannelPromise)}: a command reaching
 * the socket's handler, on the event loop, in the order the commands go on the wire (Lettuce
 * writes a held batch and a replay one command at a time too). A GET of an L1 connection that may
 * fill gets the agent's {@code PTTL} of its key written first, through this same method, so it
 * takes its own place in the command stack right ahead of the GET and its bytes go out in the same
 * flush; its reply is decoded first and bounds the GET's fill ({@link TtlProbe}).
 *
 * <p>Deciding here, not at dispatch, needs no lock against MULTI on other threads: every command
 * ahead of this one on the socket has been written and seen by the session, so "not inside MULTI"
 * is the wire's truth. The PTTL is a plain {@code Command}, so Lettuce's tracing leaves it alone
 * ({@link PttlLatencyAdvice} keeps it out of Lettuce's latency metrics), and it has no dispatch
 * timeout. With a bounded request queue no PTTL takes the last slots, so the GET is accepted or
 * refused exactly as without the agent.
 */
final class PttlAheadAdvice {
  private PttlAheadAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  @SuppressWarnings({"rawtypes", "unchecked"})
  static void enter(
      @Advice.This CommandHandler handler,
      @Advice.Argument(0) ChannelHandlerContext ctx,
      @Advice.Argument(1) Object msg,
      @Advice.FieldValue("stack") Collection<?> stack,
      @Advice.FieldValue("clientOptions") ClientOptions options) {
    if (!(msg instanceof RedisCommand)) {
      return;
    }
    RedisCommand<?, ?, ?> command = (RedisCommand<?, ?, ?>) msg;
    RedisCommand<?, ?, ?> inner = CommandWrapper.unwrap((RedisCommand) command);
    if (!(inner instanceof WireCarrier)) {
      return;
    }
    CommandReply reply = ((WireCarrier) inner).redisl1$wire();
    CommandOutput<?, ?, ?> output = inner.getOutput();
    if (reply == null || output == null || output.getClass() != ValueOutput.class) {
      return; // not a GET of an L1 connection, nor the agent's own PTTL
    }
    try {
      reply.ttlAhead(null);
      CommandArgs<?, ?> args = inner.getArgs();
      int limit = options.getRequestQueueSize();
      if (command.isDone()
          || args == null
          || args.count() != 1
          || (limit != Integer.MAX_VALUE && stack.size() + 2 > limit)) {
        return;
      }
      TtlProbe probe = TtlProbe.forGet(reply, args.getFirstEncodedKey());
      if (probe == null) {
        return;
      }
      IntegerOutput<byte[], byte[]> ttl = new IntegerOutput<>(ByteArrayCodec.INSTANCE);
      ((ReplyCarrier) ttl).redisl1$reply(probe.shell());
      handler.write(
          ctx,
          new Command<>(CommandType.PTTL, ttl, new CommandArgs<>(ByteArrayCodec.INSTANCE).addKey(probe.key())),
          ctx.newPromise());
      reply.ttlAhead(probe);
    } catch (Throwable t) {
      L1Runtime.failed("Lettuce PTTL ahead of a GET", t);
    }
  }
}
