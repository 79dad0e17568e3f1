// Source size of each build's code: lines of code and decision points, counted on the TypeScript syntax tree,
// for the files only that build compiles, those it shares with another build, and those every build shares
// (read from the imports of each entry point: tools/lib/firmwareSources.ts).
import { readFileSync } from "node:fs"
import { join } from "node:path"
import ts from "typescript"
import { BUILD_NAMES, type BuildName, ROOT } from "../../host/index.js"
import { filesByOwner } from "../lib/firmwareSources.js"

export interface BuildSources {
    /** Only this build compiles these. */
    own: SourceSize
    /** This build and another (not all) compile these. */
    sharedWithSome: SourceSize
}

/** Each build's own and partly shared files, and the files every build compiles. */
export function sourceSizes(): { builds: Record<BuildName, BuildSources>; shared: SourceSize } {
    const owners = filesByOwner()
    const builds = Object.fromEntries(BUILD_NAMES.map(b => [b, { own: sourceSize(owners.own[b]), sharedWithSome: sourceSize(owners.sharedBySome[b]) }])) as Record<BuildName, BuildSources>
    return { builds, shared: sourceSize(owners.shared) }
}

export interface SourceSize {
    files: string[]
    /** Lines holding code: not blank, not only a comment. */
    lines: number
    /** Branches a reader must follow: if, loops, case, catch, ?:, &&, ||, ??. */
    decisionPoints: number
}

const DECISION_KINDS = new Set([
    ts.SyntaxKind.IfStatement,
    ts.SyntaxKind.ForStatement,
    ts.SyntaxKind.ForOfStatement,
    ts.SyntaxKind.ForInStatement,
    ts.SyntaxKind.WhileStatement,
    ts.SyntaxKind.DoStatement,
    ts.SyntaxKind.CaseClause,
    ts.SyntaxKind.CatchClause,
    ts.SyntaxKind.ConditionalExpression,
])
const DECISION_OPERATORS = new Set([
    ts.SyntaxKind.AmpersandAmpersandToken,
    ts.SyntaxKind.BarBarToken,
    ts.SyntaxKind.QuestionQuestionToken,
])

/** Decision points in a piece of TypeScript source. */
export function countDecisionPointsIn(text: string): number {
    return countDecisions(ts.createSourceFile("source.ts", text, ts.ScriptTarget.ES2022, true))
}

function countDecisions(node: ts.Node): number {
    let count = DECISION_KINDS.has(node.kind) ? 1 : 0
    if (ts.isBinaryExpression(node) && DECISION_OPERATORS.has(node.operatorToken.kind)) count++
    node.forEachChild(child => {
        count += countDecisions(child)
    })
    return count
}

export function codeLines(text: string): number {
    const withoutComments = text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "")
    return withoutComments.split("\n").filter(line => line.trim() !== "").length
}

export function sourceSize(files: string[]): SourceSize {
    let lines = 0
    let decisionPoints = 0
    for (const file of files) {
        const text = readFileSync(join(ROOT, file), "utf8")
        lines += codeLines(text)
        decisionPoints += countDecisionPointsIn(text)
    }
    return { files, lines, decisionPoints }
}
