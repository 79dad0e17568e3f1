// The runtime's functions in five kinds of work, by their names (the ELF keeps no source file names), and the shares of a cycle window.
import { type CycleWindow, type FunctionCycles, functionAt, NO_SYMBOL } from "./cycleProfile.js"
import type { ElfFunction } from "./elfSymbols.js"

export const PROFILE_CATEGORIES = ["interpreter", "gc", "jacdac", "usb", "rest", "asleep"] as const
export type ProfileCategory = (typeof PROFILE_CATEGORIES)[number]
type WorkCategory = Exclude<ProfileCategory, "asleep">

export const CATEGORY_TITLES: Record<ProfileCategory, string> = {
    interpreter: "bytecode interpreter",
    gc: "garbage collector",
    jacdac: "Jacdac stack",
    usb: "USB",
    rest: "the rest",
    asleep: "asleep (wfe)",
}

export interface CategoryRule {
    category: WorkCategory
    /** What the rule covers, in the sources' terms. */
    covers: string
    pattern: RegExp
}

/**
 * First match wins. Each rule was written from the function names the runtime
 * actually runs, checked against the sources (microsoft/devicescript
 * runtime/devicescript, microsoft/jacdac-c, microsoft/devicescript-pico, TinyUSB,
 * the pico-sdk). A linker veneer (`__name_veneer`) counts as the function it jumps to.
 */
export const CATEGORY_RULES: CategoryRule[] = [
    {
        category: "gc",
        covers: "DeviceScript's heap (gc_alloc.c): allocation, marking, sweeping, and the fill of free blocks",
        pattern:
            /^(devs_gc|jd_gc_|mark_(block|ptr|roots)$|scan_(gc_obj|value|array|array_and_mark)$|sweep$|clear_weak_pointers$|find_free_block$|alloc_block$|block_size$|validate_heap$|devs_\w*try_alloc\w*$|devs_string_(prep|finish)$|devs_value_(pin|unpin)$|unpin$)/,
    },
    {
        category: "usb",
        covers: "TinyUSB and its RP2040 driver, the Pico's usb.c and hid.c, jacdac-c's USB bridge (jd_usb.c)",
        pattern:
            /^(tud_|tusb_|usbd_|dcd_|cdcd_|hidd_|tu_|_tu_|_ff_|osal_|hw_endpoint|_hw_endpoint|hw_handle_buff_status$|prepare_ep_buffer$|sync_ep_buffer$|reset_ep0_pid$|_prep_out_transaction$|process_control_request$|process_set_config$|process_get_descriptor$|invoke_class_control$|configuration_reset$|_status_stage_xact$|_data_stage_xact$|advance_pointer$|backward_pointer$|get_relative_pointer$|rp2040_usb_init$|usb_init$|jd_usb_|hid_process$)/,
    },
    {
        category: "jacdac",
        covers:
            "jacdac-c (packets, queues, services, client routing and role manager, event queue, its physical layer) and DeviceScript's Jacdac interface (jdiface.c, regcache.c, devsmgr.c, the packet event handler)",
        pattern:
            /^(devs_jd_|jd_need_to_send$|throttle_send_pkt$|handle_send_pkt$|start_pkt_handler$|role_missing$|retry_soon$|devs_regcache_|devs_client_event_handler$|devsmgr_|devsdbg_|rolemgr_|jd_(?!dmesg|vdmesg|alloc_stack_check|usb_|spi_)|ev_(init|shift)$|next_event_cmd$|do_process_event_queue$|handle_register$|handle_ctrl_tick$|is_client_announce$|service_handle_|poke_ready$|tick$|tx_done$|flush_tx_queue$|set_tick_timer$|process_flood$|app_process$|(button|bulb|sensor|settings|analog|relay|power|switch|rotaryencoder)_\w+$|reflect_register_state$)/,
    },
    {
        category: "interpreter",
        covers:
            "the DeviceScript VM (vm_main.c, vm_ops.c, vm_util.c, fibers.c, objects.c, value.c, string.c, the impl_*.c built-ins, strformat.c, try.c, verify.c)",
        pattern:
            /^(devs_|expr|stmt|exec2_|fun\d|funX_|meth\d|methX_|prop_|fiber_self$|free_fiber$|get_pc$|pop_arg$|get_field(_ex)?$|get_builtin_field$|static_something$|lookup_clo_val$|set_alloc$|lookup$|lookup_short$|proto_value$|grow_len$|array_ensure_len$|get_static_built_in_proto$|kv_add$|getspec$|getrolepkt$|is_event$|get_encoding$|buffer_data$|wr_buffer_data$|numvalue$)/,
    },
    {
        category: "rest",
        covers:
            "the Pico platform (main loop, timer, pins, IRQ masking), the pico-sdk, the log (DMESG, its UART), the C library, floating point and division helpers",
        pattern:
            /^(main$|tim_|target_|pin_|gpio_|hw_device_id$|jd_alloc_stack_check$|jd_dmesg|jd_vdmesg|dmesg_to_stdout$|uart_|mutex_|time_us_64$|get_absolute_time$|update_us_since_boot$|delayed_by_|make_timeout_time_ms$|__wrap_|__aeabi_|__powidf2$|div(mod)?_[su]\d|double2|float2|mem(cpy|set|move|cmp)$|str(len|cmp|str)$|jd_spi_process$)/,
    },
]

/** Helper routines charged to their caller: the C library's memory and string routines, soft float and division (their boot ROM parts are charged anyway). */
export const HELPER_PATTERN = /^(mem(cpy|set|move|cmp)|str(len|cmp|ncmp|str|chr)|__wrap_mem(cpy|set)|__wrap___aeabi_\w+|__aeabi_\w+|__powidf2|div(mod)?_[su]\d+[su]\d+\w*|double2\w+|float2\w+)$/

/** The name a veneer jumps to: `__tim_get_micros_veneer` is `tim_get_micros`, `____wrap_memcpy_veneer` is `__wrap_memcpy`. */
export function veneerTarget(name: string): string {
    const match = /^__(.+)_veneer$/.exec(name)
    return match ? match[1] : name
}

export function isHelper(name: string): boolean {
    return HELPER_PATTERN.test(veneerTarget(name))
}

export function ruleFor(name: string): CategoryRule | undefined {
    const target = veneerTarget(name)
    return CATEGORY_RULES.find(rule => rule.pattern.test(target))
}

/** The part of a rule that matched a name: `devs_…` for a prefix, the whole name for an exact one. */
function matchedBy(rule: CategoryRule, name: string): string {
    const target = veneerTarget(name)
    const matched = rule.pattern.exec(target)![0]
    return matched === target ? target : `${matched}…`
}

export interface CategorizedFunction extends FunctionCycles {
    category: WorkCategory
    /** What put it there: the part of its rule that matched its name (`devs_…`), or the named neighbour that decided. */
    why: string
}

/** How far (in functions) a local function with a generic name looks for a named neighbour. */
const NEIGHBOUR_REACH = 12

/**
 * A function's category by its rule; a local function no rule names (`update`,
 * `write_n`) takes the category of its closest named neighbour in the image (the
 * one before it when both are as close), as the linker lays out each source
 * file's functions together.
 */
export function categorize(f: FunctionCycles, functions: ElfFunction[]): CategorizedFunction {
    const rule = ruleFor(f.name)
    if (rule) return { ...f, category: rule.category, why: matchedBy(rule, f.name) }
    const at = f.name === NO_SYMBOL ? -1 : functions.indexOf(functionAt(functions, f.address)!)
    for (let distance = 1; at >= 0 && distance <= NEIGHBOUR_REACH; distance++) {
        for (const neighbour of [functions[at - distance], functions[at + distance]]) {
            const neighbourRule = neighbour && ruleFor(neighbour.name)
            if (neighbourRule) return { ...f, category: neighbourRule.category, why: `next to ${neighbour.name} (${matchedBy(neighbourRule, neighbour.name)})` }
        }
    }
    return { ...f, category: "rest", why: "no rule and no named neighbour" }
}

export type ProfileShares = Record<ProfileCategory, number>

/** Each category's share of the window's cycles, asleep included (they add up to 1). */
export function profileShares(window: Pick<CycleWindow, "busyCycles" | "idleCycles">, functions: CategorizedFunction[]): ProfileShares {
    const total = window.busyCycles + window.idleCycles
    const shares = Object.fromEntries(PROFILE_CATEGORIES.map(c => [c, 0])) as ProfileShares
    if (total === 0) return shares
    for (const f of functions) shares[f.category] += f.cycles / total
    shares.asleep = window.idleCycles / total
    return shares
}

/** Rounds to 4 decimals so that the rounded shares still add up to exactly 1 (largest remainders round up). */
export function sharesAddingToOne(shares: ProfileShares): ProfileShares {
    const scale = 10_000
    const scaled = PROFILE_CATEGORIES.map(c => ({ c, floor: Math.floor(shares[c] * scale), rest: shares[c] * scale - Math.floor(shares[c] * scale) }))
    let missing = scale - scaled.reduce((sum, s) => sum + s.floor, 0)
    for (const s of [...scaled].sort((a, b) => b.rest - a.rest)) {
        if (missing <= 0) break
        s.floor++
        missing--
    }
    return Object.fromEntries(scaled.map(s => [s.c, s.floor / scale])) as ProfileShares
}
