package org.reid.service.config;

import javax.sql.DataSource;
import org.reid.registry.JdbcModelRegistry;
import org.reid.registry.ModelRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The model registry in the service's PostgreSQL, shared with the training job (schema by Flyway). */
@Configuration(proxyBeanMethods = false)
public class RegistryConfig {
    @Bean
    ModelRegistry modelRegistry(DataSource dataSource) {
        return new JdbcModelRegistry(dataSource);
    }
}
