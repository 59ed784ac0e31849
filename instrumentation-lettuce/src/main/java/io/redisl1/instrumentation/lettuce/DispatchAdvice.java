package io.redisl1.instrumentation.lettuce;

import io.lettuce.core.StatefulRedisConnectionImpl;
import io.lettuce.core.output.CommandOutput;
import io.lettuce.core.output.ValueOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandWrapper;
import io.lettuce.core.protocol.CompleteableCommand;
import io.lettuce.core.protocol.RedisCommand;
import io.redisl1.instrumentation.lettuce.support.CommandReply;
import io.redisl1.instrumentation.lettuce.support.LettuceConnectionL1;
import io.redisl1.instrumentation.lettuce.support.OutputAccess;
import io.redisl1.instrumentation.lettuce.support.ReplyCarrier;
import io.redisl1.instrumentation.lettuce.support.Utf8KeyCarrier;
import io.redisl1.instrumentation.lettuce.support.WireCarrier;
import io.redisl1.store.AsciiKeys;
import io.redisl1.store.L1Entry;
import io.redisl1.store.L1Runtime;
import io.redisl1.store.session.RedisSession;
import java.nio.ByteBuffer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * {@code StatefulRedisConnectionImpl#dispatch(RedisCommand)}, which sync, async and reactive
 * commands (and Spring Data Redis) all pass through on the caller's thread.
 *
 * <p>A GET the L1 can answer is completed right here: the cached bytes go through the command's
 * own output, so the connection's codec decodes them exactly as it would a reply, and the method
 * body is skipped, so nothing is written. A {@code String} so decoded is remembered on the entry
 * with the codec that made it, and later hits with the same codec get that same immutable object
 * instead of a fresh decode; any other type (a {@code byte[]}, a deserialized object) is decoded
 * afresh on each hit, since the application may change it.
 *
 * <p>Every other command gets a {@link CommandReply}, left on its innermost {@code Command} for
 * {@link EncodeAdvice} (which tells the session what the command does once Lettuce writes it) and
 * on its output and completion for the reply. A command not known to be read-only by its type
 * stops the connection's L1 answers before dispatch returns, so an un-awaited write is never
 * overtaken by a GET answered from the L1. Nothing here encodes the command: that would run the
 * codec a second time, and a codec may hand out a value buffer that encoding drains.
 */
final class DispatchAdvice {
  private DispatchAdvice() {}

  @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
  @SuppressWarnings({"rawtypes", "unchecked"})
  static Object enter(
      @Advice.This StatefulRedisConnectionImpl<?, ?> connection,
      @Advice.Argument(0) RedisCommand<?, ?, ?> command,
      @Advice.FieldValue(LettuceInstrumentationModule.STATE_FIELD) LettuceConnectionL1 l1,
      @Advice.Local("redisl1Reply") CommandReply reply) {
    reply = null;
    try {
      L1Runtime runtime = L1Runtime.current();
      if (l1 == null || runtime == null || command == null) {
        return null;
      }
      CommandOutput output = command.getOutput();
      CommandArgs<?, ?> args = command.getArgs();
      if (output != null
          && output.getClass() == ValueOutput.class
          && args != null
          && args.count() == 1
          && "GET".equals(command.getType().toString())
          && !connection.isMulti()
          // Closed or reconnecting: without the agent the GET would fail or wait, so it goes on.
          && connection.isOpen()) {
        Object utf8Key = args instanceof Utf8KeyCarrier ? ((Utf8KeyCarrier) args).redisl1$utf8Key() : null;
        // An ASCII key's bytes on the wire are its chars: looked up without encoding it.
        L1Entry entry = utf8Key != null && AsciiKeys.isAscii((String) utf8Key)
            ? l1.lookup(runtime, (String) utf8Key)
            : l1.lookup(runtime, args.getFirstEncodedKey());
        if (entry != null) {
          Object codec = output instanceof OutputAccess ? ((OutputAccess) output).redisl1$codec() : null;
          Object decoded = codec == null ? null : entry.decodedBy(codec);
          if (decoded != null) {
            ((OutputAccess) output).redisl1$output(decoded); // what this codec made of these bytes before
          } else {
            byte[] value = entry.value();
            output.set(value == null ? null : ByteBuffer.wrap(value).asReadOnlyBuffer());
            Object result = output.get();
            if (codec != null && result instanceof String) {
              runtime.store().rememberDecoded(entry, codec, (String) result); // immutable: safe to share
            }
          }
          command.complete();
          return command;
        }
      }
      reply = l1.dispatched(command.getType().getBytes());
      RedisCommand<?, ?, ?> inner = CommandWrapper.unwrap((RedisCommand) command);
      if (inner instanceof WireCarrier) {
        ((WireCarrier) inner).redisl1$wire(reply);
      } else {
        // Not a Lettuce Command: its encode is not watched, so decide from its name alone.
        l1.session().detach("a Lettuce command of a type the agent does not know");
        reply.written(new byte[][] {command.getType().getBytes()}, RedisSession.readToken());
      }
      if (output instanceof ReplyCarrier) {
        ((ReplyCarrier) output).redisl1$reply(reply);
      }
      if (command instanceof CompleteableCommand) {
        ((CompleteableCommand) command).onComplete(reply);
      } else if (output == null) {
        reply.abandoned(); // no reply will ever be matched to it
      }
      return null;
    } catch (Throwable t) {
      L1Runtime.failed("Lettuce dispatch", t);
      return null;
    }
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(
      @Advice.Enter Object hit,
      @Advice.Local("redisl1Reply") CommandReply reply,
      @Advice.Thrown Throwable thrown,
      @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object returned) {
    if (hit != null) {
      returned = hit;
    } else if (thrown != null && reply != null) {
      reply.abandoned(); // e.g. "Connection is closed": nothing was queued
    }
  }
}
