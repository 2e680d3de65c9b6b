/*
 * Starts DynamoDB Local as its own main() does (minus telemetry setup: we pass -disableTelemetry),
 * but bound to 127.0.0.1.
 *
 * DynamoDBLocal.jar has no host option: DynamoDBProxyServer builds a Jetty `new Server(port)`,
 * which listens on every interface, so anyone on the network could read and write the local
 * tables. Before starting, this sets the host of Jetty's connectors to loopback. Reflection only,
 * so it compiles with nothing but the JDK compiler module, which Debian ships in
 * openjdk-17-jre-headless (java's single-file source mode; local/dynamo.ts runs it).
 */
public class DynamoLoopback {
  public static void main(String[] args) throws Exception {
    Class<?> runner = Class.forName("software.amazon.dynamodb.services.local.main.ServerRunner");
    Object proxy = runner.getMethod("createServerFromCommandLineArgs", String[].class).invoke(null, (Object) args);
    java.lang.reflect.Field field = proxy.getClass().getDeclaredField("server");
    field.setAccessible(true);
    Object server = field.get(proxy);
    Object[] connectors = (Object[]) server.getClass().getMethod("getConnectors").invoke(server);
    if (connectors.length == 0) throw new IllegalStateException("DynamoDB Local created no Jetty connector to bind");
    for (Object c : connectors) c.getClass().getMethod("setHost", String.class).invoke(c, "127.0.0.1");
    proxy.getClass().getMethod("start").invoke(proxy);
  }
}
