package io.splitroute.upstream.lab;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2GoAwayFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.Message;

/** The DoH side of {@link DnsTestServer}: HTTP/2 or HTTP/1.1 as ALPN agreed, answering POST and GET. */
final class DohServerSwitch extends ApplicationProtocolNegotiationHandler {

    private static final AttributeKey<AtomicInteger> REQUESTS = AttributeKey.valueOf("sr-test-doh-requests");

    private final Zone zone;
    private final ServerKnobs knobs;

    DohServerSwitch(Zone zone, ServerKnobs knobs) {
        super(ApplicationProtocolNames.HTTP_1_1);
        this.zone = zone;
        this.knobs = knobs;
    }

    @Override
    protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
        if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
            ctx.channel().attr(REQUESTS).set(new AtomicInteger());
            ctx.pipeline().addLast(Http2FrameCodecBuilder.forServer().build(),
                    new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
                        @Override
                        protected void initChannel(Http2StreamChannel ch) {
                            ch.pipeline().addLast(new Stream());
                        }
                    }));
        } else {
            ctx.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(0xFFFF), new Http1());
        }
    }

    @Override
    protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close(); // the client refused our certificate: expected in those tests, no log
    }

    /** The DNS query of a request, from the body (POST) or the dns parameter (GET). */
    private static byte[] query(String method, String path, ByteBuf body) {
        if ("GET".equals(method)) {
            List<String> dns = new QueryStringDecoder(path).parameters().get("dns");
            return Base64.getUrlDecoder().decode(dns.getFirst());
        }
        return ByteBufUtil.getBytes(body);
    }

    private byte[] answer(byte[] query) throws IOException {
        return zone.answer(new Message(query)).toWire();
    }

    /** One HTTP/2 stream: collects the request, answers it, maybe sends GOAWAY afterwards. */
    private final class Stream extends ChannelInboundHandlerAdapter {
        private Http2Headers request;
        private CompositeByteBuf body;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws IOException {
            try {
                if (msg instanceof Http2HeadersFrame headers) {
                    request = headers.headers();
                    body = ctx.alloc().compositeBuffer();
                    if (headers.isEndStream()) {
                        respond(ctx);
                    }
                } else if (msg instanceof Http2DataFrame data) {
                    body.addComponent(true, data.content().retain());
                    if (data.isEndStream()) {
                        respond(ctx);
                    }
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        private void respond(ChannelHandlerContext ctx) throws IOException {
            String method = request.method().toString();
            String path = request.path().toString();
            knobs.requests.add("HTTP/2 " + method + " " + path);
            byte[] query = query(method, path, body);
            body.release();
            if (knobs.silent) {
                return;
            }
            int status = knobs.httpStatus == 0 ? 200 : knobs.httpStatus;
            byte[] reply = status == 200 ? answer(query) : new byte[0];
            Http2Headers headers = new DefaultHttp2Headers().status(Integer.toString(status))
                    .set(HttpHeaderNames.CONTENT_TYPE, "application/dns-message")
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, reply.length);
            ctx.write(new DefaultHttp2HeadersFrame(headers, false));
            ctx.writeAndFlush(new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(reply), true));
            Channel connection = ctx.channel().parent();
            int served = connection.attr(REQUESTS).get().incrementAndGet();
            if (knobs.goAwayAfter > 0 && served == knobs.goAwayAfter) {
                knobs.goAways.incrementAndGet();
                connection.writeAndFlush(new DefaultHttp2GoAwayFrame(Http2Error.NO_ERROR));
            }
        }
    }

    /** HTTP/1.1 requests, answered in order. */
    private final class Http1 extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) throws IOException {
            String method = request.method().name();
            knobs.requests.add("HTTP/1.1 " + method + " " + request.uri());
            if (knobs.silent) {
                return;
            }
            int status = knobs.httpStatus == 0 ? 200 : knobs.httpStatus;
            byte[] reply = status == 200 ? answer(query(method, request.uri(), request.content())) : new byte[0];
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    HttpResponseStatus.valueOf(status), Unpooled.wrappedBuffer(reply));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/dns-message")
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, reply.length);
            ctx.writeAndFlush(response);
        }
    }
}
