#include <stepsim/lambda/function.hpp>

#include <catch2/catch.hpp>

#include <string>

using namespace std::chrono_literals;
namespace lambda = stepsim::lambda;
namespace sim = stepsim::sim;
using lambda::latency;

namespace {

void check_lognormal(latency const& l, double median) {
  CHECK(l.type() == latency::kind::lognormal);
  CHECK(l.a() == median);
  CHECK(l.b() == 0.2);
}

/// One sample of a CPU-only run model at `memory_mb`.
sim::duration cpu_run(double cpu_ms, int memory_mb) {
  lambda::run_model m;
  m.cpu_ms = cpu_ms;
  sim::random_stream r(1);
  return m.sample(memory_mb, r);
}

std::string refusal(lambda::function_config const& f) {
  try {
    f.validate();
  } catch (std::invalid_argument const& e) {
    return e.what();
  }
  return "<accepted>";
}

lambda::function_config named(std::string name = "F") {
  lambda::function_config f;
  f.name = std::move(name);
  return f;
}

}  // namespace

TEST_CASE("default_init gives each runtime family its published median and sigma 0.2", "[lambda][function]") {
  check_lognormal(lambda::default_init("python3.12"), 85);
  check_lognormal(lambda::default_init("nodejs20.x"), 140);
  check_lognormal(lambda::default_init("java21"), 235);
  check_lognormal(lambda::default_init("dotnet8"), 250);
  check_lognormal(lambda::default_init("go1.x"), 50);
  check_lognormal(lambda::default_init("provided.al2023"), 50);
  check_lognormal(lambda::default_init("rust"), 17);
  check_lognormal(lambda::default_init("ruby3.3"), 235);
}

TEST_CASE("default_init gives an unknown runtime a 150 ms median", "[lambda][function]") {
  check_lognormal(lambda::default_init("cobol85"), 150);
  check_lognormal(lambda::default_init(""), 150);
}

TEST_CASE("run_model CPU time at 128 MB is 1769/128 times the full-vCPU time", "[lambda][function]") {
  // 1769 ms * 1769 / 128 = 24448.1328125 ms, rounded to the microsecond.
  CHECK(cpu_run(1769, 128) == 24448133us);
  CHECK(cpu_run(1000, 1024) == sim::duration(std::llround(1000.0 * 1769 / 1024 * 1000)));
}

TEST_CASE("run_model CPU time gets no faster above 1,769 MB", "[lambda][function]") {
  CHECK(cpu_run(1769, 1769) == 1769ms);
  CHECK(cpu_run(1769, 3538) == 1769ms);
  CHECK(cpu_run(1769, 10240) == 1769ms);
}

TEST_CASE("run_model adds its duration, its CPU part and its I/O part", "[lambda][function]") {
  lambda::run_model m;
  m.duration = latency::constant(10);
  m.cpu_ms = 100;
  m.io = latency::constant(5);
  sim::random_stream r(1);
  CHECK(m.sample(1769, r) == 115ms);
  CHECK(m.sample(3538, r) == 115ms);
  CHECK(lambda::run_model{}.sample(128, r) == 0us);
}

TEST_CASE("function_config builds its ARN from region, account and name", "[lambda][function]") {
  auto f = named("Step1");
  CHECK(f.arn() == "arn:aws:lambda:us-east-1:123456789012:function:Step1");
  f.region = "eu-west-1";
  f.account = "999";
  CHECK(f.arn() == "arn:aws:lambda:eu-west-1:999:function:Step1");
}

TEST_CASE("function_config has AWS's defaults", "[lambda][function]") {
  lambda::function_config f;
  CHECK(f.memory_mb == 128);
  CHECK(f.arch == lambda::architecture::x86_64);
  CHECK(f.runtime == "python3.12");
  CHECK(f.timeout == 3s);
  CHECK_FALSE(f.reserved_concurrency);
  CHECK(f.provisioned_concurrency == 0);
  CHECK_FALSE(f.init);
  CHECK(f.fault_probability == 0);
}

TEST_CASE("function_config::validate names the field out of range", "[lambda][function]") {
  CHECK(refusal(named()) == "<accepted>");
  CHECK(refusal(named("")) == "a function needs a name");
  auto f = named();
  f.memory_mb = 10241;
  CHECK(refusal(f) == "function 'F': memory_mb must be 128 to 10240, not 10241");
  f = named();
  f.timeout = 0s;
  CHECK(refusal(f) == "function 'F': timeout must be more than 0 and at most 900 s");
  f.timeout = 900s;
  CHECK(refusal(f) == "<accepted>");
  f = named();
  f.reserved_concurrency = -1;
  CHECK(refusal(f) == "function 'F': reserved_concurrency must not be negative");
  f = named();
  f.provisioned_concurrency = -1;
  CHECK(refusal(f) == "function 'F': provisioned_concurrency must not be negative");
  f = named();
  f.reserved_concurrency = 2;
  f.provisioned_concurrency = 3;
  CHECK(refusal(f) == "function 'F': provisioned_concurrency cannot exceed reserved_concurrency");
  f = named();
  f.fault_probability = 1.5;
  CHECK(refusal(f) == "function 'F': fault_probability must be between 0 and 1");
  f = named();
  f.init_extra_ms = -1;
  CHECK(refusal(f) == "function 'F': init_extra_ms must not be negative");
  f = named();
  f.run.cpu_ms = -1;
  CHECK(refusal(f) == "function 'F': run cpu_ms must not be negative");
}

TEST_CASE("function_config::validate refuses threads out of 1 to 1024 and a negative init_cpu_ms", "[lambda][function][cpu]") {
  lambda::function_config f;
  f.name = "F";
  f.run.threads = 0;
  CHECK(refusal(f) == "function 'F': threads must be 1 to 1024, not 0");
  f.run.threads = 1025;
  CHECK(refusal(f) == "function 'F': threads must be 1 to 1024, not 1025");
  f.run.threads = 1024;
  CHECK(refusal(f) == "<accepted>");
  f.init_cpu_ms = -1;
  CHECK(refusal(f) == "function 'F': init_cpu_ms must not be negative");
}

TEST_CASE("function_error keeps its type and message", "[lambda][function]") {
  lambda::function_error e("OrderError", "no stock");
  CHECK(e.error_type() == "OrderError");
  CHECK(e.error_message() == "no stock");
  CHECK(std::string(e.what()) == "OrderError: no stock");
}
