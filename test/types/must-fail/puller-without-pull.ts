// Must fail: a concrete Puller has to implement pull().
import { Puller } from "databus";

// @ts-expect-error Non-abstract class does not implement the abstract member pull.
export default class Lazy extends Puller {}
