// docs/deploy-eks.md read as a participant pastes it: every shell block in order into one shell.
// Each block must parse, use only variables that an earlier line of the page defined (the first
// block defines the settings), and name only files of this repository; the overlays it applies
// render, and the versions it asks for match the files.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "manifest_set.hpp"
#include "support/process.hpp"

namespace mysfits::testing::deploy {
namespace {

namespace fs = std::filesystem;

std::string read_text(const fs::path& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

struct ShellBlock {
  int line = 0;  // of the opening fence, 1-based
  std::string text;
};

// The fenced blocks marked sh or bash, in page order.
std::vector<ShellBlock> shell_blocks(const std::string& markdown) {
  std::vector<ShellBlock> blocks;
  std::istringstream in(markdown);
  std::optional<ShellBlock> open;
  int number = 0;
  for (std::string line; std::getline(in, line);) {
    ++number;
    if (!open && (line == "```sh" || line == "```bash")) {
      open = ShellBlock{number, ""};
    } else if (open && line == "```") {
      blocks.push_back(std::move(*open));
      open.reset();
    } else if (open) {
      open->text += line + "\n";
    }
  }
  EXPECT_FALSE(open) << "a shell block opened at line " << open->line << " never closes";
  return blocks;
}

const std::string& howto() {
  static const std::string text = read_text(source_path("docs/deploy-eks.md"));
  return text;
}

struct VariableUse {
  std::string name;
  std::size_t offset;
};

// Assignments and expansions in a block, outside single quotes (which expand nothing) and
// comments. Good enough for the page's plain shell: NAME=..., export NAME=..., for NAME in,
// read NAME; $NAME and ${NAME...}.
struct BlockVariables {
  std::vector<VariableUse> defined;
  std::vector<VariableUse> used;
};

BlockVariables scan_variables(const std::string& text) {
  BlockVariables found;
  static const std::regex name(R"(^[A-Za-z_][A-Za-z0-9_]*)");
  bool single = false;
  bool dbl = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (single) {
      single = c != '\'';
      continue;
    }
    if (c == '\\') {
      ++i;
      continue;
    }
    if (c == '\'' && !dbl) {
      single = true;
    } else if (c == '"') {
      dbl = !dbl;
    } else if (c == '#' && !dbl &&
               (i == 0 || std::isspace(static_cast<unsigned char>(text[i - 1])))) {
      i = text.find('\n', i);
      if (i == std::string::npos)
        break;
    } else if (c == '$' && i + 1 < text.size()) {
      const bool braced = text[i + 1] == '{';
      std::smatch match;
      const std::string rest = text.substr(i + 1 + (braced ? 1 : 0), 64);
      if (std::regex_search(rest, match, name))
        found.used.push_back({match.str(), i});
    } else if (!dbl && (i == 0 || std::string_view(" \t\n;&|(").find(text[i - 1]) !=
                                      std::string_view::npos)) {
      std::smatch match;
      const std::string rest = text.substr(i, 64);
      static const std::regex assignment(R"(^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=)");
      static const std::regex loop(R"(^(?:for|read(?:\s+-r)?)\s+([A-Za-z_][A-Za-z0-9_]*))");
      if (std::regex_search(rest, match, assignment) || std::regex_search(rest, match, loop))
        found.defined.push_back({match[1].str(), i});
    }
  }
  return found;
}

TEST(HowTo, EveryShellBlockParses) {
  const auto blocks = shell_blocks(howto());
  ASSERT_GT(blocks.size(), 10u);
  for (const auto& block : blocks) {
    const auto file = temp_dir() + "/howto-block-" + std::to_string(block.line) + ".sh";
    std::ofstream(file) << block.text;
    const auto result = run_command({"bash", "-n", file});
    EXPECT_EQ(result.exit_code, 0) << "docs/deploy-eks.md:" << block.line << ": " << result.err;
  }
}

TEST(HowTo, UsesNoVariableBeforeTheBlocksDefineIt) {
  std::set<std::string> defined = {"HOME", "PWD", "PATH"};
  for (const auto& block : shell_blocks(howto())) {
    const auto variables = scan_variables(block.text);
    for (const auto& use : variables.used) {
      bool known = defined.contains(use.name);
      for (const auto& definition : variables.defined)
        known |= definition.name == use.name && definition.offset < use.offset;
      EXPECT_TRUE(known) << "docs/deploy-eks.md:" << block.line << ": $" << use.name
                         << " is used before any block defines it";
    }
    for (const auto& definition : variables.defined)
      defined.insert(definition.name);
  }
  // The first block is where a participant sets things up: every setting the page uses later
  // without computing it is there.
  const auto first = scan_variables(shell_blocks(howto()).at(0).text);
  std::set<std::string> settings;
  for (const auto& definition : first.defined)
    settings.insert(definition.name);
  for (const auto* setting : {"AWS_REGION", "AWS_ACCOUNT_ID", "TAG", "ARCH", "TABLE", "CLUSTER",
                              "REGISTRY", "BUCKET", "LBC_CHART_VERSION", "ROLLOUTS_VERSION"})
    EXPECT_TRUE(settings.contains(setting)) << setting << " is not defined in the first block";
}

TEST(HowTo, TheVariableScanSeesWhatItMust) {
  const auto found = scan_variables(
      "A=1 # $COMMENT\n"
      "echo \"$A ${B:-x}\" '$QUOTED' \\$ESCAPED\n"
      "for C in x; do echo $C; done\n"
      "until D=$(date) && [ -n \"$D\" ]; do :; done\n");
  std::vector<std::string> used, defined;
  for (const auto& use : found.used)
    used.push_back(use.name);
  for (const auto& definition : found.defined)
    defined.push_back(definition.name);
  EXPECT_EQ(used, (std::vector<std::string>{"A", "B", "C", "D"}));
  EXPECT_EQ(defined, (std::vector<std::string>{"A", "C", "D"}));
}

TEST(HowTo, NamesOnlyFilesThatExist) {
  const auto& text = howto();
  // A path of this repository: up to a character that ends it or starts a placeholder
  // (`<stage>`, `{a,b}`).
  static const std::regex repo_path(
      R"((?:^|[\s`(="']|file://)((?:deploy|docs|web|scripts|cli|services|libs|tests|bench)/[\w./-]*[\w-]))");
  int named = 0;
  for (std::sregex_iterator it(text.begin(), text.end(), repo_path), end; it != end; ++it) {
    ++named;
    EXPECT_TRUE(fs::exists(source_path((*it)[1]))) << (*it)[1] << " is named but missing";
  }
  EXPECT_GT(named, 20);
}

// Every overlay the page applies renders here (and so is validated by the schema check, which
// renders every kustomize root); the release overlay of each stage is among them.
TEST(HowTo, AppliesOnlyOverlaysThatRender) {
  const auto& text = howto();
  static const std::regex applied(R"((?:-k|kustomize)\s+(deploy/k8s/[\w./-]*[\w-]))");
  std::set<std::string> used;
  for (std::sregex_iterator it(text.begin(), text.end(), applied), end; it != end; ++it)
    used.insert((*it)[1]);
  for (const auto& dir : used) {
    const auto& rendered = rendered_overlay(dir);
    EXPECT_TRUE(rendered.manifests) << dir << " is applied but does not render: " << rendered.error;
  }
  for (const auto* stage : {"monolith", "like", "like-adopt"})
    EXPECT_TRUE(used.contains(std::string("deploy/k8s/overlays/release/") + stage)) << stage;
  EXPECT_TRUE(used.contains("deploy/k8s/overlays/release-rollouts/like-adopt"));
}

TEST(HowTo, AsksForTheVersionsTheFilesNeed) {
  const auto cluster = YAML::LoadFile(source_path("deploy/eks/cluster.yaml"));
  const auto version = str(cluster["metadata"]["version"]);
  std::smatch match;
  ASSERT_TRUE(std::regex_match(version, match, std::regex(R"(1\.(\d+))"))) << version;
  const int minor = std::stoi(match[1]);
  const auto& text = howto();
  EXPECT_NE(text.find("Kubernetes " + version), std::string::npos) << version;
  // kubectl's supported skew: one minor version either side of the cluster's.
  const auto skew =
      "1." + std::to_string(minor - 1) + ", " + version + " or 1." + std::to_string(minor + 1);
  EXPECT_NE(text.find(skew), std::string::npos) << "kubectl versions " << skew;
  // The chart is pinned, and the image build targets the nodes' platform.
  EXPECT_NE(text.find("--version \"$LBC_CHART_VERSION\""), std::string::npos);
  EXPECT_NE(text.find("--platform \"linux/$ARCH\""), std::string::npos);
}

}  // namespace
}  // namespace mysfits::testing::deploy
