/** Launcher for scripts/camel: Camel JBang's command line, as the jbang-installed `camel` starts it. */
public class CamelJBang {
    public static void main(String[] args) {
        org.apache.camel.dsl.jbang.core.commands.CamelJBangMain.run(args);
    }
}
