/** Demo passenger type that travels with a binary (PNG) attachment. */
import { Passenger } from "../../sdk/index";

/** `databus/demo/binary_passenger`: its payload describes the image it carries. */
export default class BinaryPassenger extends Passenger<{ title: string; width: number; height: number }> {}
