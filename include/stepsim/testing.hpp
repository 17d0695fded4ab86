// stepsim/testing.hpp: everything a C++ test suite needs to test a state
// machine with stepsim: the `workflow` fixture with its mocks and call log,
// Step Functions Local's MockConfigFile, and `test_state` (AWS's TestState).
// Catch2 matchers are in <stepsim/testing/catch2.hpp>.
#pragma once

#include <stepsim/engine/engine.hpp>
#include <stepsim/engine/execution.hpp>
#include <stepsim/task_adapters/mock_config.hpp>
#include <stepsim/testing/mocks.hpp>
#include <stepsim/testing/test_state.hpp>
#include <stepsim/testing/workflow.hpp>
