"""The Gradle detector: Groovy and Kotlin DSL scripts, version catalogs, gradle.properties, the
wrapper, and the Java and Kotlin versions asked for."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from collectors.detectors import gradle
from collectors.detectors.gradle import (
    GROOVY,
    KOTLIN,
    configuration_scope,
    parse_catalog,
    parse_coordinate,
    parse_gradle,
    parse_properties,
    parse_wrapper,
    tokenize,
)
from collectors.detectors.parsing import ParseError
from collectors.facts import Dependency, Runtime
from collectors.repo_view import decode_text
from tests.gitrepo import detect_with
from tests.strategies import mutated as mutated_by

detect_in = partial(detect_with, gradle.detect)


def found(parsed: object) -> set[tuple[str, str, str | None, str]]:
    return {(d.ecosystem, d.name, d.declared, d.scope) for d in parsed.dependencies}  # type: ignore[attr-defined]


SPRING_BOOT_KTS = """
import org.jetbrains.kotlin.gradle.tasks.KotlinCompile

plugins {
    id("org.springframework.boot") version "3.2.1"
    id("io.spring.dependency-management") version "1.1.4"
    kotlin("jvm") version "1.9.22"
    kotlin("plugin.spring") version "1.9.22"
    `java-library`
    jacoco
}

group = "com.acme"
version = "0.0.1-SNAPSHOT"

java {
    toolchain {
        languageVersion = JavaLanguageVersion.of(21)
    }
}

/* block comment: dependencies { implementation("not:real:1") } */
val testcontainersVersion = "1.19.3"
extra["springCloudVersion"] = "2023.0.0"

dependencies {
    implementation("org.springframework.boot:spring-boot-starter-web")
    implementation("com.fasterxml.jackson.module:jackson-module-kotlin")
    implementation(platform("org.testcontainers:testcontainers-bom:$testcontainersVersion"))
    implementation(kotlin("reflect"))
    implementation(project(":shared"))
    runtimeOnly("org.postgresql:postgresql:42.7.1") // the driver
    compileOnly("org.projectlombok:lombok:1.18.30")
    annotationProcessor("org.projectlombok:lombok:1.18.30")
    developmentOnly("org.springframework.boot:spring-boot-devtools")
    testImplementation("org.springframework.boot:spring-boot-starter-test") {
        exclude(group = "org.junit.vintage", module = "junit-vintage-engine")
    }
    testImplementation("org.testcontainers:postgresql:${testcontainersVersion}")
    implementation(group = "com.google.guava", name = "guava", version = "33.0.0-jre")
    implementation("io.micrometer:micrometer-core") {
        version { strictly("1.12.1") }
    }
    "implementation"("org.flywaydb:flyway-core:10.4.1")
}

dependencyManagement {
    imports {
        mavenBom("org.springframework.cloud:spring-cloud-dependencies:${property("springCloudVersion")}")
    }
}

tasks.withType<KotlinCompile> {
    kotlinOptions {
        freeCompilerArgs += "-Xjsr305=strict"
        jvmTarget = "17"
    }
}
"""


def test_spring_boot_kotlin_dsl() -> None:
    parsed = parse_gradle(SPRING_BOOT_KTS, "build.gradle.kts")
    assert found(parsed) == {
        ("gradle-plugin", "org.springframework.boot", "3.2.1", "plugin"),
        ("gradle-plugin", "io.spring.dependency-management", "1.1.4", "plugin"),
        ("gradle-plugin", "org.jetbrains.kotlin.jvm", "1.9.22", "plugin"),
        ("gradle-plugin", "org.jetbrains.kotlin.plugin.spring", "1.9.22", "plugin"),
        ("gradle-plugin", "java-library", None, "plugin"),
        ("gradle-plugin", "jacoco", None, "plugin"),
        ("maven", "org.springframework.boot:spring-boot-starter-web", None, "runtime"),
        ("maven", "com.fasterxml.jackson.module:jackson-module-kotlin", None, "runtime"),
        ("maven", "org.testcontainers:testcontainers-bom", "1.19.3", "build"),  # platform(): a BOM
        ("maven", "org.jetbrains.kotlin:kotlin-reflect", None, "runtime"),
        ("maven", "org.postgresql:postgresql", "42.7.1", "runtime"),
        ("maven", "org.projectlombok:lombok", "1.18.30", "build"),
        ("maven", "org.springframework.boot:spring-boot-devtools", None, "dev"),
        ("maven", "org.springframework.boot:spring-boot-starter-test", None, "test"),
        ("maven", "org.testcontainers:postgresql", "1.19.3", "test"),
        ("maven", "com.google.guava:guava", "33.0.0-jre", "runtime"),
        ("maven", "io.micrometer:micrometer-core", "1.12.1", "runtime"),
        ("maven", "org.flywaydb:flyway-core", "10.4.1", "runtime"),
        ("maven", "org.springframework.cloud:spring-cloud-dependencies", "2023.0.0", "build"),
    }  # project(":shared") is the build's own code; the commented-out line is not read
    # the toolchain wins over jvmTarget; Kotlin from the Kotlin plugin
    assert parsed.runtimes == [
        Runtime("java", "21", evidence="build.gradle.kts"),
        Runtime("kotlin", "1.9.22", evidence="build.gradle.kts"),
    ]
    assert parsed.warnings == []


SPRING_BOOT_GROOVY = r"""
buildscript {
    ext {
        kotlin_version = '1.8.22'
        springBootVersion = "2.7.18"
    }
    repositories { mavenCentral() }
    dependencies {
        classpath "org.jetbrains.kotlin:kotlin-gradle-plugin:$kotlin_version"
        classpath("org.springframework.boot:spring-boot-gradle-plugin:${springBootVersion}")
    }
}

apply plugin: 'org.springframework.boot'
apply plugin: "io.spring.dependency-management"

sourceCompatibility = JavaVersion.VERSION_11
def jacksonVersion = '2.15.3'

dependencies {
    implementation 'org.springframework.boot:spring-boot-starter-actuator'
    implementation "com.fasterxml.jackson.core:jackson-databind:$jacksonVersion"
    implementation 'org.single:quoted:$notExpanded'
    implementation group: 'org.apache.commons', name: 'commons-lang3', version: '3.14.0'
    implementation 'a.b:c:1.0', 'd.e:f:2.0'
    compile "org.old:thing:" + jacksonVersion
    testCompile 'junit:junit:4.13.2'
    testImplementation platform('org.junit:junit-bom:5.10.1')
    implementation fileTree(dir: 'libs', include: ['*.jar'])
    detektPlugins "io.gitlab.arturbosch.detekt:detekt-formatting:1.23.4"
    implementation('org.hibernate:hibernate-core:5.6.15.Final') {
        exclude group: 'org.jboss', module: 'jandex'
    }
}

dependencyManagement {
    imports {
        mavenBom "org.springframework.cloud:spring-cloud-dependencies:2021.0.8"
    }
}
"""


def test_spring_boot_groovy_with_buildscript_and_ext() -> None:
    parsed = parse_gradle(SPRING_BOOT_GROOVY, "build.gradle")
    assert found(parsed) == {
        ("gradle-plugin", "org.springframework.boot", None, "plugin"),
        ("gradle-plugin", "io.spring.dependency-management", None, "plugin"),
        ("maven", "org.jetbrains.kotlin:kotlin-gradle-plugin", "1.8.22", "plugin"),  # classpath, from ext
        ("maven", "org.springframework.boot:spring-boot-gradle-plugin", "2.7.18", "plugin"),
        ("maven", "org.springframework.boot:spring-boot-starter-actuator", None, "runtime"),
        ("maven", "com.fasterxml.jackson.core:jackson-databind", "2.15.3", "runtime"),
        ("maven", "org.single:quoted", "$notExpanded", "runtime"),  # Groovy '...' strings are not templates
        ("maven", "org.apache.commons:commons-lang3", "3.14.0", "runtime"),
        ("maven", "a.b:c", "1.0", "runtime"),
        ("maven", "d.e:f", "2.0", "runtime"),
        ("maven", "org.old:thing", "2.15.3", "runtime"),  # "..." + name
        ("maven", "junit:junit", "4.13.2", "test"),
        ("maven", "org.junit:junit-bom", "5.10.1", "build"),
        ("maven", "io.gitlab.arturbosch.detekt:detekt-formatting", "1.23.4", "build"),  # a tool's configuration
        ("maven", "org.hibernate:hibernate-core", "5.6.15.Final", "runtime"),  # its exclude is no dependency
        ("maven", "org.springframework.cloud:spring-cloud-dependencies", "2021.0.8", "build"),
    }
    assert parsed.runtimes == [
        Runtime("java", "11", evidence="build.gradle"),
        Runtime("kotlin", "1.8.22", evidence="build.gradle"),  # from the Kotlin Gradle plugin on the classpath
    ]
    assert parsed.warnings == []


LIBS_TOML = """
[versions]
agp = "8.2.1"
kotlin = "1.9.22"
compose-bom = "2023.10.01"
java = "17"
okhttp = { strictly = "[4.11, 5.0[", prefer = "4.12.0" }

[libraries]
androidx-core-ktx = { group = "androidx.core", name = "core-ktx", version = "1.12.0" }
compose-bom = { module = "androidx.compose:compose-bom", version.ref = "compose-bom" }
compose-ui = { module = "androidx.compose.ui:ui" }
okhttp = { module = "com.squareup.okhttp3:okhttp", version.ref = "okhttp" }
junit = "junit:junit:4.13.2"
hilt_android = { module = "com.google.dagger:hilt-android", version = { require = "2.50" } }

[bundles]
networking = ["okhttp", "androidx-core-ktx"]

[plugins]
android-application = { id = "com.android.application", version.ref = "agp" }
kotlin-android = { id = "org.jetbrains.kotlin.android", version.ref = "kotlin" }
ksp = "com.google.devtools.ksp:1.9.22-1.0.17"
"""

ANDROID_APP_KTS = """
plugins {
    alias(libs.plugins.android.application)
    alias(libs.plugins.kotlin.android)
}

android {
    namespace = "com.acme.app"
    compileSdk = 34
    defaultConfig { minSdk = 26 }
    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_1_8
        targetCompatibility = JavaVersion.VERSION_1_8
    }
    kotlinOptions { jvmTarget = "1.8" }
}

kotlin { jvmToolchain(libs.versions.java.get().toInt()) }

dependencies {
    implementation(libs.androidx.core.ktx)
    implementation(platform(libs.compose.bom))
    implementation(libs.compose.ui)
    implementation(libs.bundles.networking)
    implementation(libs.hilt.android)
    testImplementation(libs.junit)
    androidTestImplementation(libs.espresso.core)
    debugImplementation("androidx.compose.ui:ui-tooling")
}
"""

ANDROID_LIB_GROOVY = """
plugins {
    id 'com.android.library'
    id 'org.jetbrains.kotlin.android'; id 'kotlin-kapt'
}
android {
    compileOptions {
        sourceCompatibility JavaVersion.VERSION_17
        targetCompatibility JavaVersion.VERSION_17
    }
}
dependencies {
    implementation "androidx.appcompat:appcompat:$appcompatVersion"
    kapt "com.google.dagger:hilt-compiler:${hilt_version}"
    implementation "com.google.dagger:hilt-android:$hilt_version"
    implementation libs.okhttp
    coreLibraryDesugaring 'com.android.tools:desugar_jdk_libs:2.0.4'
}
"""


def test_android_repository_with_a_version_catalog_and_gradle_properties(tmp_path: Path) -> None:
    facts = detect_in(
        tmp_path,
        {
            "settings.gradle.kts": (
                'pluginManagement {\n    plugins {\n        id("org.gradle.toolchains.foojay-resolver-convention") '
                'version "0.7.0"\n    }\n}\nrootProject.name = "acme"\ninclude(":app", ":lib")\n'
            ),
            "build.gradle.kts": "plugins {\n    alias(libs.plugins.android.application) apply false\n    alias(libs.plugins.ksp) apply false\n}\n",
            "gradle/libs.versions.toml": LIBS_TOML,
            "gradle.properties": "org.gradle.jvmargs=-Xmx2048m\nhilt_version=2.50\nappcompatVersion = 1.6.1\n",
            "lib/gradle.properties": "appcompatVersion=1.7.0-alpha03\n",
            "app/build.gradle.kts": ANDROID_APP_KTS,
            "lib/build.gradle": ANDROID_LIB_GROOVY,
            "gradle/wrapper/gradle-wrapper.properties": (
                "distributionBase=GRADLE_USER_HOME\n"
                "distributionUrl=https\\://services.gradle.org/distributions/gradle-8.5-bin.zip\n"
            ),
        },
    )
    deps = {(d.ecosystem, d.name, d.declared, d.scope, d.manifest) for d in facts.dependencies}
    assert deps == {
        ("gradle-plugin", "org.gradle.toolchains.foojay-resolver-convention", "0.7.0", "plugin", "settings.gradle.kts"),
        ("gradle-plugin", "com.android.application", "8.2.1", "plugin", "build.gradle.kts"),
        ("gradle-plugin", "com.google.devtools.ksp", "1.9.22-1.0.17", "plugin", "build.gradle.kts"),
        ("gradle-plugin", "com.android.application", "8.2.1", "plugin", "app/build.gradle.kts"),
        ("gradle-plugin", "org.jetbrains.kotlin.android", "1.9.22", "plugin", "app/build.gradle.kts"),
        ("maven", "androidx.core:core-ktx", "1.12.0", "runtime", "app/build.gradle.kts"),
        ("maven", "androidx.compose:compose-bom", "2023.10.01", "build", "app/build.gradle.kts"),
        ("maven", "androidx.compose.ui:ui", None, "runtime", "app/build.gradle.kts"),
        ("maven", "com.squareup.okhttp3:okhttp", "[4.11, 5.0[", "runtime", "app/build.gradle.kts"),  # the bundle
        ("maven", "com.google.dagger:hilt-android", "2.50", "runtime", "app/build.gradle.kts"),
        ("maven", "junit:junit", "4.13.2", "test", "app/build.gradle.kts"),
        ("maven", "androidx.compose.ui:ui-tooling", None, "runtime", "app/build.gradle.kts"),
        ("gradle-plugin", "com.android.library", None, "plugin", "lib/build.gradle"),
        ("gradle-plugin", "org.jetbrains.kotlin.android", None, "plugin", "lib/build.gradle"),
        ("gradle-plugin", "kotlin-kapt", None, "plugin", "lib/build.gradle"),
        ("maven", "androidx.appcompat:appcompat", "1.7.0-alpha03", "runtime", "lib/build.gradle"),  # nearest properties
        ("maven", "com.google.dagger:hilt-compiler", "2.50", "build", "lib/build.gradle"),
        ("maven", "com.google.dagger:hilt-android", "2.50", "runtime", "lib/build.gradle"),
        ("maven", "com.squareup.okhttp3:okhttp", "[4.11, 5.0[", "runtime", "lib/build.gradle"),
        ("maven", "com.android.tools:desugar_jdk_libs", "2.0.4", "build", "lib/build.gradle"),
        ("maven", "gradle", "8.5", "build", "gradle/wrapper/gradle-wrapper.properties"),
    }
    # app: the toolchain (from the catalog) beats sourceCompatibility 1.8
    assert set(facts.runtimes) == {
        Runtime("java", "17", evidence="app/build.gradle.kts"),
        Runtime("kotlin", "1.9.22", evidence="app/build.gradle.kts"),
        Runtime("java", "17", evidence="lib/build.gradle"),
    }
    assert [(w.path, w.message) for w in facts.warnings] == [
        ("app/build.gradle.kts", "line 27: libs.espresso.core is not in gradle/libs.versions.toml")
    ]


def test_multi_project_ext_values_reach_subprojects(tmp_path: Path) -> None:
    facts = detect_in(
        tmp_path,
        {
            "build.gradle": (
                'apply from: "$rootDir/gradle/versions.gradle"\n'
                "ext.grpcVersion = '1.60.0'\n"
                "subprojects {\n  apply plugin: 'java'\n  dependencies {\n"
                '    implementation "org.slf4j:slf4j-api:${slf4jVersion}"\n  }\n}\n'
            ),
            "gradle/versions.gradle": "ext {\n    slf4jVersion = '2.0.9'\n    set('nettyVersion', '4.1.104.Final')\n}\n",
            "services/api/build.gradle": (
                "dependencies {\n"
                '    implementation "io.grpc:grpc-netty:$grpcVersion"\n'
                '    implementation "io.netty:netty-handler:${rootProject.ext.nettyVersion}"\n'
                '    implementation "io.unknown:thing:$nobodyDefinesThis"\n'
                "}\n"
            ),
            "services/worker/build.gradle.kts": (
                'val grpcVersion: String by project\ndependencies {\n    implementation("io.grpc:grpc-stub:${rootProject.extra["grpcVersion"]}")\n}\n'
            ),
        },
    )
    deps = {(d.name, d.declared, d.manifest) for d in facts.dependencies if d.ecosystem == "maven"}
    assert deps == {
        ("org.slf4j:slf4j-api", "2.0.9", "build.gradle"),
        ("io.grpc:grpc-netty", "1.60.0", "services/api/build.gradle"),
        ("io.netty:netty-handler", "4.1.104.Final", "services/api/build.gradle"),
        ("io.unknown:thing", "$nobodyDefinesThis", "services/api/build.gradle"),  # as written
        ("io.grpc:grpc-stub", "1.60.0", "services/worker/build.gradle.kts"),
    }
    assert facts.warnings == []


def test_groovy_maps_of_versions_and_coordinates() -> None:
    text = """
ext.versions = [
    kotlin  : '1.9.22',
    retrofit: '2.9.0',
]
ext.deps = [
    retrofit: "com.squareup.retrofit2:retrofit:${versions.retrofit}",
    support : [appcompat: 'androidx.appcompat:appcompat:1.6.1'],
]
dependencies {
    implementation deps.retrofit
    implementation deps.support.appcompat
    implementation "org.jetbrains.kotlin:kotlin-stdlib:$versions.kotlin"
    implementation "org.jetbrains.kotlin:kotlin-reflect:${rootProject.ext.versions.kotlin}"
    implementation deps.notThere
}
"""
    parsed = parse_gradle(text, "build.gradle")
    assert found(parsed) == {
        ("maven", "com.squareup.retrofit2:retrofit", "2.9.0", "runtime"),
        ("maven", "androidx.appcompat:appcompat", "1.6.1", "runtime"),  # a nested map
        ("maven", "org.jetbrains.kotlin:kotlin-stdlib", "1.9.22", "runtime"),  # "$a.b" reads a.b in Groovy
        ("maven", "org.jetbrains.kotlin:kotlin-reflect", "1.9.22", "runtime"),
    }
    assert parsed.warnings == []


def test_kotlin_templates_read_one_name_and_definitions_are_not_dependencies() -> None:
    text = """
val core = "com.acme:core:2.0"
val hibernate = "5.6.15"
dependencies {
    val inline = "com.acme:inline:3.0"
    implementation(core)
    implementation(inline)
    implementation("org.hibernate:hibernate-core:$hibernate.Final")
}
"""
    parsed = parse_gradle(text, "build.gradle.kts")
    assert {(d.name, d.declared) for d in parsed.dependencies} == {
        ("com.acme:core", "2.0"),
        ("com.acme:inline", "3.0"),  # once: the `val` itself is not a declaration
        ("org.hibernate:hibernate-core", "5.6.15.Final"),  # Kotlin's "$a.b" is a, then ".b"
    }
    assert parsed.warnings == []


def test_buildsrc_objects_name_coordinates_and_versions(tmp_path: Path) -> None:
    facts = detect_in(
        tmp_path,
        {
            "android/buildSrc/build.gradle.kts": "plugins {\n    `kotlin-dsl`\n}\n",
            "android/buildSrc/src/main/kotlin/Dependencies.kt": (
                'object Versions {\n    const val kotlin = "1.8.22"\n    const val retrofit: String = "2.9.0"\n}\n'
                "object Libs {\n"
                '    const val retrofit = "com.squareup.retrofit2:retrofit:${Versions.retrofit}"\n'
                "    object AndroidX {\n"
                '        const val core = "androidx.core:core-ktx:1.12.0"\n'
                "    }\n}\n"
            ),
            "android/app/build.gradle.kts": (
                "dependencies {\n"
                "    implementation(Libs.retrofit)\n"
                "    implementation(Libs.AndroidX.core)\n"
                '    implementation("org.jetbrains.kotlin:kotlin-stdlib:${Versions.kotlin}")\n'
                "    implementation(Libs.NotThere)\n"
                "}\n"
            ),
            "other/build.gradle.kts": 'dependencies { implementation("g:a:${Versions.kotlin}") }\n',
        },
    )
    assert {(d.name, d.declared, d.manifest) for d in facts.dependencies} == {
        ("kotlin-dsl", None, "android/buildSrc/build.gradle.kts"),
        ("com.squareup.retrofit2:retrofit", "2.9.0", "android/app/build.gradle.kts"),
        ("androidx.core:core-ktx", "1.12.0", "android/app/build.gradle.kts"),
        ("org.jetbrains.kotlin:kotlin-stdlib", "1.8.22", "android/app/build.gradle.kts"),
        ("g:a", "${Versions.kotlin}", "other/build.gradle.kts"),  # another build: not its buildSrc
    }
    assert facts.warnings == []


def test_test_suites_and_multiplatform_test_source_sets_are_test_scope() -> None:
    text = """
plugins { kotlin("multiplatform") version "1.9.22" }
kotlin {
    sourceSets {
        val commonMain by getting {
            dependencies { implementation("io.ktor:ktor-client-core:2.3.7") }
        }
        val commonTest by getting {
            dependencies { implementation(kotlin("test")) }
        }
        jvmTest.dependencies { implementation("io.mockk:mockk:1.13.8") }
    }
}
testing {
    suites {
        val integrationTest by registering(JvmTestSuite::class) {
            dependencies { implementation("org.testcontainers:kafka:1.19.3") }
        }
    }
}
gradlePlugin {
    plugins {
        create("conventions") { id = "com.acme.conventions" }
    }
}
"""
    parsed = parse_gradle(text, "build.gradle.kts")
    assert found(parsed) == {
        ("gradle-plugin", "org.jetbrains.kotlin.multiplatform", "1.9.22", "plugin"),
        ("maven", "io.ktor:ktor-client-core", "2.3.7", "runtime"),
        ("maven", "org.jetbrains.kotlin:kotlin-test", None, "test"),
        ("maven", "org.testcontainers:kafka", "1.19.3", "test"),
    }  # the plugin this build publishes is not one it applies; `jvmTest.dependencies` is not a block read


# --- tables -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("configuration", "scope"),
    [
        ("implementation", "runtime"),
        ("api", "runtime"),
        ("compile", "runtime"),
        ("runtimeOnly", "runtime"),
        ("debugImplementation", "runtime"),
        ("releaseRuntimeOnly", "runtime"),
        ("compileOnly", "build"),
        ("compileOnlyApi", "build"),
        ("annotationProcessor", "build"),
        ("kapt", "build"),
        ("ksp", "build"),
        ("developmentOnly", "dev"),
        ("testAndDevelopmentOnly", "dev"),
        ("classpath", "plugin"),
        ("testImplementation", "test"),
        ("testRuntimeOnly", "test"),
        ("testCompileOnly", "test"),
        ("androidTestImplementation", "test"),
        ("testFixturesApi", "test"),
        ("integrationTestImplementation", "test"),
        ("kaptTest", "test"),
        ("latestImplementation", "runtime"),  # "test" inside a word is not a test source set
        ("detektPlugins", "build"),
        ("errorprone", "build"),
    ],
)
def test_configuration_scope(configuration: str, scope: str) -> None:
    assert configuration_scope(configuration) == scope


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("org.springframework:spring-core:6.1.2", ("org.springframework:spring-core", "6.1.2")),
        ("g:a", ("g:a", None)),
        ("g:a:", ("g:a", None)),
        ("g:a:1.0:sources", ("g:a", "1.0")),
        ("g:a:1.0@aar", ("g:a", "1.0")),
        ("g:a:1.0:jdk8@jar", ("g:a", "1.0")),
        ("g:a:[1.0,2.0)", ("g:a", "[1.0,2.0)")),
        ("g:a:1.+", ("g:a", "1.+")),
        (" g:a:latest.release ", ("g:a", "latest.release")),
        ("g:a:${v}", ("g:a", "${v}")),
        ("noversion", None),
        (":a:1", None),
        ("g::1", None),
        ("has space:a:1", None),
        ("a:b:c:d:e", None),
    ],
)
def test_parse_coordinate(text: str, expected: tuple[str, str | None] | None) -> None:
    assert parse_coordinate(text) == expected


@pytest.mark.parametrize(
    ("snippet", "version"),
    [
        ("java { toolchain { languageVersion = JavaLanguageVersion.of(17) } }", "17"),
        ("java { toolchain { languageVersion.set(JavaLanguageVersion.of(21)) } }", "21"),
        ('java.toolchain.languageVersion.set(JavaLanguageVersion.of("11"))', "11"),
        ("kotlin { jvmToolchain(17) }", "17"),
        ("kotlin { jvmToolchain { languageVersion.set(JavaLanguageVersion.of(19)) } }", "19"),
        ("sourceCompatibility = '17'", "17"),
        ("sourceCompatibility = 1.8", "1.8"),
        ("java { sourceCompatibility = JavaVersion.VERSION_17 }", "17"),
        ("java.sourceCompatibility = JavaVersion.VERSION_1_8", "1.8"),
        ("sourceCompatibility JavaVersion.VERSION_11", "11"),
        ('java { sourceCompatibility = JavaVersion.toVersion("21") }', "21"),
        ("targetCompatibility = JavaVersion.VERSION_17", "17"),
        ("kotlinOptions { jvmTarget = '11' }", "11"),
        ("compilerOptions { jvmTarget.set(JvmTarget.JVM_17) }", "17"),
        ("compilerOptions { jvmTarget = JvmTarget.JVM_1_8 }", "1.8"),
        ("def javaVersion = '21'\njava { toolchain { languageVersion = JavaLanguageVersion.of(javaVersion) } }", "21"),
        ("sourceCompatibility = JavaVersion.current()", None),
        ("java { toolchain { languageVersion = JavaLanguageVersion.of(someFunction()) } }", None),
        ("sourceCompatibility = '17'\njava { toolchain { languageVersion = JavaLanguageVersion.of(21) } }", "21"),
        ("tasks.withType(JavaCompile) { options.release = 17 }", "17"),
        ("tasks.withType<JavaCompile> { options.release.set(21) }\nsourceCompatibility = '11'", "21"),
        ("android { buildTypes { release { minifyEnabled false } } }", None),
    ],
)
def test_java_version(snippet: str, version: str | None) -> None:
    path = "build.gradle.kts" if "val " in snippet or ".set(" in snippet else "build.gradle"
    runtimes = parse_gradle(snippet, path).runtimes
    assert runtimes == ([Runtime("java", version, evidence=path)] if version else [])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a=1\nb = 2\nc:3\nd 4\n", {"a": "1", "b": "2", "c": "3", "d": "4"}),
        ("# comment\n! also\n  \nkey=value with spaces  ", {"key": "value with spaces  "}),
        ("url=https\\://services.gradle.org/x\n", {"url": "https://services.gradle.org/x"}),
        ("multi=one,\\\n    two,\\\n    three\n", {"multi": "one,two,three"}),
        ("path=C:\\\\tools\n", {"path": "C:\\tools"}),
        ("key\\ with\\ space=v\n", {"key with space": "v"}),
        ("uni=\\u00e9t\\u00e9\n", {"uni": "été"}),
        ("empty=\nnovalue\n", {"empty": "", "novalue": ""}),
        ("trailing=x\\", {"trailing": "x"}),
    ],
)
def test_parse_properties(text: str, expected: dict[str, str]) -> None:
    assert parse_properties(text) == expected


def test_catalog_entries_and_their_problems() -> None:
    text = LIBS_TOML + (
        '\n[libraries.broken-ref]\nmodule = "a:b"\nversion.ref = "nope"\n\n[libraries.no-module]\nversion = "1"\n'
    )
    catalog = parse_catalog(text, "gradle/libs.versions.toml")
    assert catalog.libraries["compose.bom"] == ("androidx.compose:compose-bom", "2023.10.01")
    assert catalog.libraries["androidx.core.ktx"] == ("androidx.core:core-ktx", "1.12.0")
    assert catalog.libraries["hilt.android"] == ("com.google.dagger:hilt-android", "2.50")  # `_` separates too
    assert catalog.libraries["broken.ref"] == ("a:b", None)
    assert catalog.bundles["networking"] == ["okhttp", "androidx.core.ktx"]
    assert catalog.plugins["ksp"] == ("com.google.devtools.ksp", "1.9.22-1.0.17")
    assert catalog.versions["compose.bom"] == "2023.10.01"
    assert catalog.warnings == [
        "libraries.broken-ref: version.ref 'nope' is not in [versions]",
        "libraries.no-module: needs module = 'group:artifact' or group and name",
    ]


# --- tokens -------------------------------------------------------------------------------------


def test_tokenizer_strings_templates_and_comments() -> None:
    text = 'val a = "x${b("}")}y" // gone\n/* outer /* nested */ still comment */ c \'q\'\nd """raw\n"quoted"\n"""'
    tokens = tokenize(text, KOTLIN)
    assert [(t.kind, t.text) for t in tokens] == [
        ("ident", "val"),
        ("ident", "a"),
        ("op", "="),
        ("str", 'x${b("}")}y'),
        ("nl", "\n"),
        ("ident", "c"),
        ("char", "'q'"),
        ("nl", "\n"),
        ("ident", "d"),
        ("str", 'raw\n"quoted"\n'),
    ]
    assert tokens[-1].line == 3
    groovy = tokenize("x 'single $notTemplate' \"double $template\"", GROOVY)
    assert [(t.text, t.template) for t in groovy if t.kind == "str"] == [
        ("single $notTemplate", False),
        ("double $template", True),
    ]


# --- broken input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "content", "problem"),
    [
        (
            "build.gradle",
            "dependencies {\n  implementation 'g:a:1\n}\n",
            "line 2: a string that never ends on its line",
        ),
        ("build.gradle.kts", 'val x = """never closed\n', "line 1: a string that never ends"),
        ("build.gradle", "/* never closed\ndependencies {}", "line 1: a /* comment that never ends"),
        ("build.gradle.kts", "/* outer /* inner */ still open\n", "line 1: a /* comment that never ends"),
        ("build.gradle", b"\x00\x01\x02\x03binary", "not readable as text (binary content)"),
        ("build.gradle.kts", "plugins { id(`broken) }\n", "line 1: a `quoted name` that never ends"),
    ],
)
def test_unreadable_script_is_a_warning(tmp_path: Path, path: str, content: str | bytes, problem: str) -> None:
    facts = detect_in(tmp_path, {path: content, "ok/build.gradle": "dependencies { implementation 'g:a:1' }\n"})
    assert [(d.name, d.manifest) for d in facts.dependencies] == [("g:a", "ok/build.gradle")]
    assert [(w.path, w.message) for w in facts.warnings] == [(path, problem)]


def test_unbalanced_brackets_are_warnings_and_the_rest_is_read() -> None:
    text = 'dependencies {\n    implementation("g:a:1")\n    testImplementation("g:t:2"\n}\n}\n'
    parsed = parse_gradle(text, "build.gradle.kts")
    assert ("maven", "g:a", "1", "runtime") in found(parsed)
    assert parsed.warnings == ["line 3: '(' is never closed", "line 5: '}' closes nothing"]


def test_malformed_coordinate_and_catalog_are_warnings(tmp_path: Path) -> None:
    facts = detect_in(
        tmp_path,
        {
            "build.gradle": "dependencies {\n  implementation 'just-a-name'\n  implementation 'g:a:1'\n}\n",
            "gradle/libs.versions.toml": "[libraries\nx = 1",
            "gradle/wrapper/gradle-wrapper.properties": "distributionUrl=https://example.com/custom.zip\n",
            "gradle.properties": b"\xff\xfe" + "a=1\n".encode("utf-16-le"),  # UTF-16: still read
        },
    )
    assert [(d.name, d.declared) for d in facts.dependencies] == [("g:a", "1")]
    assert {(w.path, w.message.split(" (")[0]) for w in facts.warnings} == {
        ("build.gradle", "line 2: implementation 'just-a-name' is not group:artifact[:version]"),
        ("gradle/libs.versions.toml", "not valid TOML: Expected ']' at the end of a table declaration"),
        (
            "gradle/wrapper/gradle-wrapper.properties",
            "distributionUrl 'https://example.com/custom.zip' does not name a gradle-<version>-bin/all.zip",
        ),
    }


@pytest.mark.parametrize(
    ("text", "version"),
    [
        ("distributionUrl=https\\://services.gradle.org/distributions/gradle-8.5-bin.zip\n", "8.5"),
        ("distributionUrl=https\\://services.gradle.org/distributions/gradle-8.6-rc-1-all.zip\n", "8.6-rc-1"),
        ("distributionUrl=https://nexus.acme.com/gradle/gradle-7.6.3-bin.zip\n", "7.6.3"),
    ],
)
def test_gradle_wrapper(text: str, version: str) -> None:
    path = "gradle/wrapper/gradle-wrapper.properties"
    assert parse_wrapper(text, path) == Dependency("maven", "gradle", version, None, "build", path)


def test_deeply_nested_script_does_not_exhaust_the_stack() -> None:
    text = "dependencies {\n" + "a(" * 20_000 + ")" * 20_000 + "\nimplementation('g:a:1')\n}\n" + '"${' * 100
    with pytest.raises(ParseError):
        parse_gradle(text, "build.gradle")
    parsed = parse_gradle(text.rsplit("\n", 1)[0], "build.gradle")
    assert ("maven", "g:a", "1", "runtime") in found(parsed)


def test_definitions_that_double_at_each_step_stay_bounded() -> None:
    lines = [f"val v{i} = v{i + 1} + v{i + 1}" for i in range(40)] + ['val v40 = "xxxxxxxxxx"']
    text = "\n".join(lines) + '\ndependencies { implementation("g:a:$v0") }\n'
    parsed = parse_gradle(text, "build.gradle.kts")
    assert [(d.name, d.declared) for d in parsed.dependencies] == [("g:a", "$v0")]  # too long: as written


# --- never an exception -------------------------------------------------------------------------


mutated = partial(mutated_by, specials=b"{}()[]\"'$/*\\:=,\n", max_edits=10)


_CATALOG = parse_catalog(LIBS_TOML, "gradle/libs.versions.toml")


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(["build.gradle", "build.gradle.kts"]),
    st.one_of(
        st.binary(max_size=300),
        st.text(max_size=300).map(str.encode),
        mutated(SPRING_BOOT_KTS.encode()),
        mutated(SPRING_BOOT_GROOVY.encode()),
        mutated(ANDROID_APP_KTS.encode()),
    ),
)
def test_any_bytes_as_a_build_script_never_raise(path: str, data: bytes) -> None:
    text = decode_text(data)
    if text is None:
        return
    try:
        parsed = parse_gradle(text, path, properties={"hilt_version": "2.50"}, catalogs={"libs": _CATALOG})
    except ParseError as err:
        assert str(err) and "\n" not in str(err)
        return
    assert all(isinstance(w, str) and w and "\n" not in w for w in parsed.warnings)
    assert all(d.ecosystem in ("maven", "gradle-plugin") and d.name for d in parsed.dependencies)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.binary(max_size=300), mutated(LIBS_TOML.encode())))
def test_any_bytes_as_a_catalog_or_properties_never_raise(data: bytes) -> None:
    text = decode_text(data)
    if text is None:
        return
    assert isinstance(parse_properties(text), dict)
    try:
        catalog = parse_catalog(text, "gradle/libs.versions.toml")
    except ParseError:
        return
    assert all(isinstance(w, str) for w in catalog.warnings)
    assert all(":" in module for module, _ in catalog.libraries.values())
