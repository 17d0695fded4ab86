// The order example as a program: `order_workflow [definition file]`.
#include "order_workflow.hpp"

#include <iostream>

#ifndef ORDER_WORKFLOW_DEFINITION
#define ORDER_WORKFLOW_DEFINITION "order.asl.json"
#endif

int main(int argc, char** argv) {
  return run_order_example(argc > 1 ? argv[1] : ORDER_WORKFLOW_DEFINITION, std::cout);
}
