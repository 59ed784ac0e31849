package io.redisl1.instrumentation.lettuce;

import io.netty.buffer.ByteBuf;
import io.redisl1.instrumentation.lettuce.support.CommandReply;
import io.redisl1.instrumentation.lettuce.support.LettuceSupport;
import io.redisl1.instrumentation.lettuce.support.ReplyCarrier;
import io.redisl1.store.L1Runtime;
import io.redisl1.store.session.RedisSession;
import net.bytebuddy.asm.Advice;

/**
 * {@code Command#encode(ByteBuf)}: Lettuce writing a command into the buffer bound for the socket
 * ({@code CommandEncoder}, on the event loop; again for a command replayed after a reconnect). The
 * one place a command's bytes are produced, so the codec runs exactly as often as without the
 * agent: the arguments are read back from the bytes just written, without moving the buffer's
 * indexes. Every wrapper (async, reactive, transactional, traced) delegates down to this {@code
 * Command}, so each write is seen once.
 *
 * <p>Only commands dispatched through an L1 connection carry a {@link CommandReply}; Lettuce's
 * handshake and every other connection pass straight through.
 *
 * <p>The output a command has when it is written is the one its reply will be decoded into, and
 * may not be the one it had at dispatch: Lettuce gives EXEC the transaction's {@code MultiOutput}
 * inside {@code dispatch}. Handing that output the reply here, before any byte is sent, lets the
 * reply side find it ({@link MultiOutputAdvice}, {@link CommandCompleteAdvice}).
 */
final class EncodeAdvice {
  private EncodeAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static long enter(
      @Advice.FieldValue(LettuceInstrumentationModule.WIRE_FIELD) CommandReply reply,
      @Advice.FieldValue("output") Object output,
      @Advice.Argument(0) ByteBuf buf,
      @Advice.Local("redisl1Start") int start) {
    start = -1;
    if (reply == null) {
      return 0L;
    }
    if (output instanceof ReplyCarrier && ((ReplyCarrier) output).redisl1$reply() == null) {
      ((ReplyCarrier) output).redisl1$reply(reply);
    }
    start = buf.writerIndex();
    // Before any byte of this command can reach Redis: a GET's reply may fill only if nothing
    // invalidated its key since.
    return RedisSession.readToken();
  }

  @Advice.OnMethodExit(suppress = Throwable.class)
  static void exit(
      @Advice.FieldValue(LettuceInstrumentationModule.WIRE_FIELD) CommandReply reply,
      @Advice.Argument(0) ByteBuf buf,
      @Advice.Enter long readToken,
      @Advice.Local("redisl1Start") int start) {
    if (reply == null || start < 0) {
      return;
    }
    try {
      int length = buf.writerIndex() - start;
      byte[] resp = new byte[Math.max(length, 0)];
      buf.getBytes(start, resp);
      reply.written(LettuceSupport.argv(resp), readToken);
    } catch (Throwable t) {
      L1Runtime.failed("Lettuce Command.encode", t);
    }
  }
}
