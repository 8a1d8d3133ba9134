//! The executor of workflow runs (wasm32 only), driven by the generated shim.
//!
//! A run is a Rust future. `kindeRun` starts it and polls it once; Kinde's bindings
//! mostly answer at once, so most runs end in that first poll and nothing is
//! scheduled. When a run waits on a Promise (a Management API call), [`Awaiting`]
//! hands the Promise to the shim (`kindeAwait(slot, promise)`), which attaches its
//! callbacks; when the Promise settles the shim calls [`resume`] (`kindeResume`),
//! which stores the answer and polls the run again. No Rust closure crosses into
//! JavaScript and no task queue runs in the module.
//!
//! Wakers are honoured. `Awaiting` wakes the waker it was last polled with when its
//! Promise settles (so combinators that poll only woken branches, and other
//! executors, see it ready); a run woken during its own poll is polled again at
//! once; a run woken from anywhere else (a future from outside this crate) asks the
//! shim for a poll (`kindeWake(task)`, answered with [`poll`], `kindePoll`).
//!
//! Every entry point answers `Ok(value)` when the run has ended with its result,
//! `Ok(undefined)` while it waits, and `Err(message)` when it failed. Everything Rust
//! runs, it runs inside one of these calls, so a panic's trap always reaches the
//! shim's `try`, never a callback whose exception would be lost.

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};

use js_sys::Promise;
use wasm_bindgen::prelude::*;

use crate::js::Bindings;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(method, js_name = kindeAwait)]
    fn kinde_await(this: &Bindings, slot: u32, promise: &Promise);

    #[wasm_bindgen(method, js_name = kindeWake)]
    fn kinde_wake(this: &Bindings, task: u32);
}

/// A run's future: its result as a host value, or the message it failed with.
type Run = Pin<Box<dyn Future<Output = Result<JsValue, String>>>>;

struct Task {
    /// `None` while the run is being polled.
    run: Option<Run>,
    /// The bindings of the run, for `kindeWake`.
    bindings: Bindings,
    waker: Arc<TaskWaker>,
}

/// The waker of one task.
struct TaskWaker {
    task: u32,
    woken: AtomicBool,
    /// A `kindeWake` is on its way (cleared by the poll it asks for).
    poll_requested: AtomicBool,
}

impl Wake for TaskWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.woken.store(true, Ordering::Relaxed);
        // Inside a poll or a resume the executor polls again by itself.
        if BUSY.get() || self.poll_requested.swap(true, Ordering::Relaxed) {
            return;
        }
        let bindings = EXECUTOR.with_borrow(|executor| {
            executor
                .tasks
                .get(self.task as usize)
                .and_then(Option::as_ref)
                .map(|task| task.bindings.clone())
        });
        if let Some(bindings) = bindings {
            bindings.kinde_wake(self.task);
        }
    }
}

/// A Promise some future waits on.
enum Slot {
    Free,
    Waiting {
        /// The task polling when the wait began, if it is one of this executor's.
        task: Option<u32>,
        waker: Waker,
    },
    Settled(Result<JsValue, JsValue>),
    /// Its future was dropped before the answer came.
    Abandoned,
}

struct Executor {
    tasks: Vec<Option<Task>>,
    slots: Vec<Slot>,
}

thread_local! {
    static EXECUTOR: RefCell<Executor> = const {
        RefCell::new(Executor { tasks: Vec::new(), slots: Vec::new() })
    };
    /// The task being polled, if any.
    static POLLING: Cell<Option<u32>> = const { Cell::new(None) };
    /// True inside `poll` and `resume`, which poll again after a wake themselves.
    static BUSY: Cell<bool> = const { Cell::new(false) };
}

/// Starts a run and polls it once (see the module's documentation for the answer).
pub fn start(
    bindings: Bindings,
    run: impl Future<Output = Result<JsValue, String>> + 'static,
) -> Result<JsValue, JsValue> {
    let task = EXECUTOR.with_borrow_mut(|executor| {
        let free = executor.tasks.iter().position(Option::is_none);
        let index = free.unwrap_or(executor.tasks.len());
        let task = u32::try_from(index).expect("fewer than 2^32 runs at once");
        let entry = Some(Task {
            run: Some(Box::pin(run)),
            bindings,
            waker: Arc::new(TaskWaker {
                task,
                woken: AtomicBool::new(false),
                poll_requested: AtomicBool::new(false),
            }),
        });
        match free {
            Some(index) => executor.tasks[index] = entry,
            None => executor.tasks.push(entry),
        }
        task
    });
    poll_task(task)
}

/// `kindeResume`: the Promise handed over as `kindeAwait(slot, …)` settled, fulfilled
/// with `value` when `ok`, else rejected with it. Wakes its future and polls its run.
#[wasm_bindgen(js_name = kindeResume)]
pub fn resume(slot: u32, ok: bool, value: JsValue) -> Result<JsValue, JsValue> {
    let answer = if ok { Ok(value) } else { Err(value) };
    let waiting = EXECUTOR.with_borrow_mut(|executor| {
        let entry = executor.slots.get_mut(slot as usize)?;
        match std::mem::replace(entry, Slot::Settled(answer)) {
            Slot::Waiting { task, waker } => Some(Some((task, waker))),
            Slot::Abandoned => {
                *entry = Slot::Free;
                Some(None)
            }
            other => {
                *entry = other;
                None
            }
        }
    });
    let Some(waiting) = waiting else {
        return Err(JsValue::from_str(&format!(
            "kindeResume: no Promise is awaited in slot {slot}"
        )));
    };
    let Some((task, waker)) = waiting else {
        return Ok(JsValue::UNDEFINED); // nobody waits for it any more
    };
    let busy = BUSY.replace(true);
    waker.wake();
    BUSY.set(busy);
    match task {
        Some(task) => poll_task(task),
        None => Ok(JsValue::UNDEFINED), // another executor polls it
    }
}

/// `kindePoll`: polls a run that asked for it with `kindeWake(task)`.
#[wasm_bindgen(js_name = kindePoll)]
pub fn poll(task: u32) -> Result<JsValue, JsValue> {
    poll_task(task)
}

/// Polls a run until it is pending without having been woken meanwhile, or has ended.
fn poll_task(task: u32) -> Result<JsValue, JsValue> {
    let taken = EXECUTOR.with_borrow_mut(|executor| {
        let entry = executor.tasks.get_mut(task as usize)?.as_mut()?;
        Some((entry.run.take()?, entry.waker.clone()))
    });
    // Ended, or being polled already (a wake from inside its own poll).
    let Some((mut run, task_waker)) = taken else {
        return Ok(JsValue::UNDEFINED);
    };
    task_waker.poll_requested.store(false, Ordering::Relaxed);
    let waker = Waker::from(task_waker.clone());
    let mut context = Context::from_waker(&waker);
    let busy = BUSY.replace(true);
    let polling = POLLING.replace(Some(task));
    let outcome = loop {
        task_waker.woken.store(false, Ordering::Relaxed);
        match run.as_mut().poll(&mut context) {
            Poll::Ready(outcome) => break Some(outcome),
            Poll::Pending if task_waker.woken.load(Ordering::Relaxed) => continue,
            Poll::Pending => break None,
        }
    };
    POLLING.set(polling);
    BUSY.set(busy);
    match outcome {
        Some(outcome) => {
            // The task is dropped outside the borrow: its futures' `Drop`s use the executor.
            let ended = EXECUTOR.with_borrow_mut(|executor| executor.tasks[task as usize].take());
            drop((ended, run));
            match outcome {
                Ok(value) if value.is_undefined() => Ok(JsValue::NULL),
                Ok(value) => Ok(value),
                Err(message) => Err(JsValue::from_str(&message)),
            }
        }
        None => {
            EXECUTOR.with_borrow_mut(|executor| {
                if let Some(entry) = executor.tasks[task as usize].as_mut() {
                    entry.run = Some(run);
                }
            });
            Ok(JsValue::UNDEFINED)
        }
    }
}

/// Waits on a Promise through the shim: `kindeAwait` on the first poll, the answer
/// from [`resume`] after.
pub(crate) struct Awaiting<'a> {
    bindings: &'a Bindings,
    promise: Option<Promise>,
    slot: Option<u32>,
}

impl<'a> Awaiting<'a> {
    /// Waits on `promise`, which the shim of `bindings` settles.
    pub(crate) fn new(bindings: &'a Bindings, promise: Promise) -> Self {
        Self {
            bindings,
            promise: Some(promise),
            slot: None,
        }
    }
}

impl Future for Awaiting<'_> {
    type Output = Result<JsValue, JsValue>;

    fn poll(mut self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<Self::Output> {
        let Some(slot) = self.slot else {
            let waiting = Slot::Waiting {
                task: POLLING.get(),
                waker: context.waker().clone(),
            };
            let slot = EXECUTOR.with_borrow_mut(|executor| {
                let free = executor.slots.iter().position(|s| matches!(s, Slot::Free));
                let index = free.unwrap_or(executor.slots.len());
                match free {
                    Some(index) => executor.slots[index] = waiting,
                    None => executor.slots.push(waiting),
                }
                u32::try_from(index).expect("fewer than 2^32 Promises awaited at once")
            });
            self.slot = Some(slot);
            let promise = self
                .promise
                .take()
                .expect("an Awaiting is polled after its end");
            self.bindings.kinde_await(slot, &promise);
            return Poll::Pending;
        };
        let answer = EXECUTOR.with_borrow_mut(|executor| {
            let entry = &mut executor.slots[slot as usize];
            match entry {
                Slot::Settled(_) => match std::mem::replace(entry, Slot::Free) {
                    Slot::Settled(answer) => Some(answer),
                    _ => unreachable!(),
                },
                Slot::Waiting { waker, .. } => {
                    if !waker.will_wake(context.waker()) {
                        *waker = context.waker().clone();
                    }
                    None
                }
                Slot::Free | Slot::Abandoned => unreachable!("an Awaiting's slot was freed"),
            }
        });
        match answer {
            Some(answer) => {
                self.slot = None;
                Poll::Ready(answer)
            }
            None => Poll::Pending,
        }
    }
}

impl Drop for Awaiting<'_> {
    fn drop(&mut self) {
        if let Some(slot) = self.slot {
            EXECUTOR.with_borrow_mut(|executor| {
                let entry = &mut executor.slots[slot as usize];
                *entry = match entry {
                    Slot::Settled(_) => Slot::Free,
                    _ => Slot::Abandoned,
                };
            });
        }
    }
}
