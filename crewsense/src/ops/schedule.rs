//! The Crew Scheduler calendar.

use crewsense_gen::types::ScheduleDay;
use crewsense_gen::wire::DateMap;

use crate::time::DateRange;
use crate::{Client, Error};

impl Client {
    /// The schedule of `days`, one entry per day in date order, whether the server
    /// sent its days as a map keyed by date (production) or as an array (the
    /// reference).
    ///
    /// ```no_run
    /// # async fn run(client: crewsense::Client) -> Result<(), crewsense::Error> {
    /// use crewsense::time::DateRange;
    ///
    /// let june = DateRange::month(2025, 6).expect("a month");
    /// for (date, day) in client.schedule(june).await?.iter() {
    ///     let off = day.time_off.as_ref().map_or(0, Vec::len);
    ///     println!("{date}: {off} on leave");
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn schedule(
        &self,
        days: impl Into<DateRange>,
    ) -> Result<DateMap<ScheduleDay>, Error> {
        let (start, end) = days.into().window();
        let schedule = self
            .call(async move |api| api.get_schedule().start(start).end(end).send().await)
            .await?;
        Ok(schedule.days.unwrap_or_default())
    }
}
