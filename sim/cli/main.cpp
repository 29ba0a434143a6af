#include <iostream>

#include "sim/cli/commands.hpp"

int main(int argc, char** argv) { return cli::faultline_main(argc, argv, std::cout, std::cerr); }
