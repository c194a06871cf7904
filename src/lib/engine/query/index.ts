/** The ECS cluster query language (spec §5.7): used by memberOf constraints and ListContainerInstances filters. */
export type {AtomExpr, Operator, QueryExpr, Subject} from './ast.js'
export {parseQuery, MAX_QUERY_LENGTH} from './parse.js'
export {compileExpr, compileQuery, evaluateQuery} from './compile.js'
export type {CompiledQuery, QueryPredicate} from './compile.js'
export {printQuery} from './print.js'
