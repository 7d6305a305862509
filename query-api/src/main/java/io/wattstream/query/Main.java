package io.wattstream.query;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

/** Runs the query API alone: {@code application.yaml}, overridden by the environment. */
public final class Main {

    public static void main(String[] args) {
        Config config = Config.builder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                // Earlier sources win: the prototype's names, then Helidon's own (SERVER_PORT...), then the file.
                .sources(ConfigSources.create(EnvOverrides.from(System.getenv())).name("prototype environment"),
                        ConfigSources.environmentVariables(),
                        ConfigSources.classpath("application.yaml"))
                .build();
        Config.global(config);
        QueryApi api = QueryApi.start(config);
        Runtime.getRuntime().addShutdownHook(new Thread(api::close, "query-api-shutdown"));
    }

    private Main() {
    }
}
