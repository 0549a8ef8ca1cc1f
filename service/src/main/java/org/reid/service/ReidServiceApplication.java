package org.reid.service;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The re-ID retrieval service. */
@SpringBootApplication
public class ReidServiceApplication {
    public static void main(String[] args) {
        SpringApplication.run(ReidServiceApplication.class, args);
    }
}
