#include "bot/server/connection_slots.hpp"

#include <algorithm>

namespace permit::server {

ConnectionSlots::ConnectionSlots(std::size_t total, std::size_t per_address)
    : total_(std::max<std::size_t>(total, 1)), per_address_(std::clamp<std::size_t>(per_address, 1, total_)) {}

std::string ConnectionSlots::address_key(const boost::asio::ip::address& address) {
  if (address.is_v4()) return address.to_v4().to_string();
  const auto v6 = address.to_v6();
  if (v6.is_v4_mapped()) return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, v6).to_string();
  auto bytes = v6.to_bytes();
  std::fill(bytes.begin() + 8, bytes.end(), 0);
  return boost::asio::ip::address_v6(bytes).to_string() + "/64";
}

boost::system::result<ConnectionSlots::Admission, Refusal> ConnectionSlots::admit(
    const boost::asio::ip::address& address) {
  std::string key = address_key(address);
  std::lock_guard lock(mutex_);
  Admission admission{next_id_++, std::nullopt};
  auto& mine = addresses_[key];
  // The address's own cap first: giving way within the address frees a
  // slot of the listener too, so nobody else is disturbed.
  if (mine.count >= per_address_) {
    if (mine.waiting.empty()) {
      return Refusal::address_full;
    }
    admission.evicted = mine.waiting.front();
  } else if (slots_.size() >= total_) {
    if (waiting_.empty()) {
      if (mine.count == 0) addresses_.erase(key);
      return Refusal::full;
    }
    admission.evicted = waiting_.front();
  }
  if (admission.evicted) forget(*admission.evicted);
  auto& slot = slots_[admission.id];
  slot.address = key;
  slot.per_address = &addresses_[key];  // (forget may have erased `mine`: look it up again)
  ++slot.per_address->count;
  slot.waiting = slot.parked.insert(slot.parked.end(), admission.id);
  slot.by_address = slot.parked.insert(slot.parked.end(), admission.id);
  start_waiting(slot);
  return admission;
}

bool ConnectionSlots::start_request(Id id) {
  std::lock_guard lock(mutex_);
  auto it = slots_.find(id);
  if (it == slots_.end()) return false;
  stop_waiting(it->second);
  return true;
}

void ConnectionSlots::wait_for_request(Id id) {
  std::lock_guard lock(mutex_);
  auto it = slots_.find(id);
  if (it == slots_.end() || it->second.is_waiting) return;
  start_waiting(it->second);
}

void ConnectionSlots::release(Id id) {
  std::lock_guard lock(mutex_);
  if (slots_.contains(id)) forget(id);
}

std::size_t ConnectionSlots::in_use() const {
  std::lock_guard lock(mutex_);
  return slots_.size();
}

std::size_t ConnectionSlots::under_way() const {
  std::lock_guard lock(mutex_);
  return slots_.size() - waiting_.size();
}

void ConnectionSlots::start_waiting(Slot& slot) {
  waiting_.splice(waiting_.end(), slot.parked, slot.waiting);
  slot.per_address->waiting.splice(slot.per_address->waiting.end(), slot.parked, slot.by_address);
  slot.is_waiting = true;
}

void ConnectionSlots::stop_waiting(Slot& slot) {
  if (!slot.is_waiting) return;
  slot.parked.splice(slot.parked.end(), waiting_, slot.waiting);
  slot.parked.splice(slot.parked.end(), slot.per_address->waiting, slot.by_address);
  slot.is_waiting = false;
}

// Forgets the slot (under the lock): its connection no longer counts.
void ConnectionSlots::forget(Id id) {
  auto it = slots_.find(id);
  stop_waiting(it->second);
  if (--it->second.per_address->count == 0) addresses_.erase(it->second.address);
  slots_.erase(it);
}

}  // namespace permit::server
